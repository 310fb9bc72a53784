// TermCounts: counts occurrences of 64-bit term hashes within one text, for the built-in embedder's
// term weighting. An open-addressing table over a dense entry array; Clear() costs time in the
// number of terms held, not the table size, so one instance serves texts of every length without
// reallocating once grown.
//
// Thread-safety: not thread-safe; owned by one embedder, used by one thread at a time.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace roxi::embedders {

class TermCounts {
 public:
  struct Entry {
    uint64_t key = 0;
    uint32_t count = 0;
    uint32_t slot = 0;    // where this entry sits in the table, so Clear can empty it directly
    float factor = 1.0f;  // the caller's per-term weight factor, set when the term is first added
    uint32_t word = 0;    // the caller's index of the term's first occurrence
  };

  TermCounts();
  TermCounts(const TermCounts&) = delete;
  TermCounts& operator=(const TermCounts&) = delete;

  // Counts one occurrence of `key`. Returns its entry, valid until the next Add or Clear;
  // *inserted says whether this was the first occurrence (then count == 1 and the caller fills
  // factor and word).
  Entry* Add(uint64_t key, bool* inserted);

  // Every distinct term added since the last Clear, in order of first occurrence.
  std::span<const Entry> entries() const { return entries_; }

  void Clear();

 private:
  void Grow();

  std::vector<Entry> entries_;
  std::vector<uint32_t> table_;  // entry index + 1, or 0 for an empty slot; size a power of two
};

}  // namespace roxi::embedders
