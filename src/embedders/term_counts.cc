#include "src/embedders/term_counts.h"

namespace roxi::embedders {

namespace {
constexpr size_t kInitialSlots = 1024;

// Term keys are already well-mixed hashes; the multiply only guards against keys whose low bits
// happen to be regular.
inline size_t Home(uint64_t key, size_t mask) {
  return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
}
}  // namespace

TermCounts::TermCounts() : table_(kInitialSlots, 0) { entries_.reserve(kInitialSlots / 2); }

TermCounts::Entry* TermCounts::Add(uint64_t key, bool* inserted) {
  // Invariant: the table stays at most half full, so probing always reaches an empty slot.
  if ((entries_.size() + 1) * 2 > table_.size()) Grow();
  const size_t mask = table_.size() - 1;
  for (size_t i = Home(key, mask);; i = (i + 1) & mask) {
    const uint32_t ref = table_[i];
    if (ref == 0) {
      entries_.push_back(Entry{key, 1, static_cast<uint32_t>(i), 1.0f, 0});
      table_[i] = static_cast<uint32_t>(entries_.size());
      *inserted = true;
      return &entries_.back();
    }
    Entry& e = entries_[ref - 1];
    if (e.key == key) {
      ++e.count;
      *inserted = false;
      return &e;
    }
  }
}

void TermCounts::Clear() {
  for (const Entry& e : entries_) table_[e.slot] = 0;
  entries_.clear();
}

void TermCounts::Grow() {
  table_.assign(table_.size() * 2, 0);
  const size_t mask = table_.size() - 1;
  for (size_t k = 0; k < entries_.size(); ++k) {
    size_t i = Home(entries_[k].key, mask);
    while (table_[i] != 0) i = (i + 1) & mask;
    table_[i] = static_cast<uint32_t>(k + 1);
    entries_[k].slot = static_cast<uint32_t>(i);
  }
}

}  // namespace roxi::embedders
