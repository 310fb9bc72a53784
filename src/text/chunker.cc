#include "src/text/chunker.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string>

#include "format/chunk_record.h"
#include "format/dcheck.h"
#include "src/text/utf8.h"

namespace roxi::text {

namespace {

// Kinds of cut, worst to best; the values index Candidates::best.
enum Level : int { kWord = 0, kLine = 1, kSentence = 2, kParagraph = 3, kLevels = 4 };

// A whitespace run longer than this is not examined further and counts as a paragraph break: a
// gap that wide separates whatever surrounds it, and the bound keeps classification O(1).
constexpr size_t kMaxRunPeek = 256;
// How far back a line's start is searched for to see whether it is a Markdown block line. Such
// lines are short; a longer one is taken as prose.
constexpr size_t kMaxLineLookback = 256;

constexpr std::array<bool, 256> kIsSpace = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : std::string_view(" \t\n\v\f\r")) table[c] = true;
  return table;
}();

inline bool IsSpace(char c) { return kIsSpace[static_cast<uint8_t>(c)]; }

// The last bytes of everything EndsSentence accepts: ". ! ?", a closing ") ] \" '", and the final
// bytes of the UTF-8 forms of ’ ” » …. A word followed by one space and ending in none of these is
// a plain word boundary, which is most boundaries, so FindCut skips Classify for it.
constexpr std::array<bool, 256> kMayEndSentence = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : std::string_view(".!?)]\"'")) table[c] = true;
  for (unsigned char c : {0x99, 0x9D, 0xBB, 0xA6}) table[c] = true;
  return table;
}();
inline uint8_t Byte(std::string_view doc, size_t i) { return static_cast<uint8_t>(doc[i]); }

size_t SkipSpace(std::string_view doc, size_t i) {
  while (i < doc.size() && IsSpace(doc[i])) ++i;
  return i;
}

bool HasBytesAt(std::string_view doc, size_t end, std::string_view bytes) {
  return end >= bytes.size() && doc.substr(end - bytes.size(), bytes.size()) == bytes;
}

// True if the text before `p` ends a sentence: '.', '!', '?' or '…', optionally followed by one
// closing bracket or quote. REQUIRES: p >= 1.
bool EndsSentence(std::string_view doc, size_t p) {
  size_t end = p;
  const uint8_t last = Byte(doc, end - 1);
  if (last == ')' || last == ']' || last == '"' || last == '\'') {
    --end;
  } else if (HasBytesAt(doc, end, "\u2019") || HasBytesAt(doc, end, "\u201D")) {
    end -= 3;
  } else if (HasBytesAt(doc, end, "\u00BB")) {
    end -= 2;
  }
  if (end == 0) return false;
  const uint8_t c = Byte(doc, end - 1);
  return c == '.' || c == '!' || c == '?' || HasBytesAt(doc, end, "\u2026");
}

// True if the line whose first non-blank byte is doc[q] starts a Markdown block: a heading, list
// item, quote, table row or code fence.
bool StartsMarkdownBlock(std::string_view doc, size_t q) {
  const auto blank_at = [&](size_t i) {
    return i < doc.size() && (doc[i] == ' ' || doc[i] == '\t');
  };
  switch (doc[q]) {
    case '#':
    case '>':
    case '|':
      return true;
    case '-':
    case '*':
    case '+':
      return blank_at(q + 1);
    case '`':
      return doc.substr(q, 3) == "```";
    default:
      break;
  }
  size_t i = q;
  while (i < doc.size() && i - q < 9 && doc[i] >= '0' && doc[i] <= '9') ++i;
  return i > q && i < doc.size() && (doc[i] == '.' || doc[i] == ')') && blank_at(i + 1);
}

// True if the line whose content ends at `p` is a Markdown block line (see StartsMarkdownBlock).
bool LineIsMarkdownBlock(std::string_view doc, size_t p) {
  size_t start = p;
  while (start > 0 && doc[start - 1] != '\n') {
    if (p - start >= kMaxLineLookback) return false;
    --start;
  }
  while (start < p && (doc[start] == ' ' || doc[start] == '\t')) ++start;
  return start < p && StartsMarkdownBlock(doc, start);
}

// The kind of a cut at `p`, the start of a whitespace run.
// REQUIRES: 0 < p < doc.size(), IsSpace(doc[p]), !IsSpace(doc[p - 1]), and doc ends in non-space.
Level Classify(std::string_view doc, size_t p) {
  const size_t limit = std::min(doc.size(), p + kMaxRunPeek);
  size_t q = p;
  int newlines = 0;
  while (q < limit && IsSpace(doc[q])) {
    newlines += doc[q] == '\n';
    ++q;
  }
  if (q == limit && q < doc.size() && IsSpace(doc[q])) return kParagraph;
  if (newlines >= 2) return kParagraph;
  if (EndsSentence(doc, p)) return kSentence;
  if (newlines == 0) return kWord;
  if (StartsMarkdownBlock(doc, q) || LineIsMarkdownBlock(doc, p)) return kSentence;
  return kLine;
}

}  // namespace

Status ValidateChunkerOptions(const ChunkerOptions& o) {
  const auto n = [](uint32_t v) { return std::to_string(v); };
  if (o.target_bytes < kMinChunkTargetBytes) {
    return Status::InvalidArgument(
        "chunk target size", n(o.target_bytes) + " must be at least " + n(kMinChunkTargetBytes));
  }
  if (o.max_bytes < o.target_bytes) {
    return Status::InvalidArgument(
        "chunk max size",
        n(o.max_bytes) + " must be at least the target size " + n(o.target_bytes));
  }
  if (o.max_bytes > format::kMaxChunkTextBytes) {
    return Status::InvalidArgument(
        "chunk max size",
        n(o.max_bytes) + " exceeds the largest chunk " + n(format::kMaxChunkTextBytes));
  }
  if (o.overlap_bytes >= o.target_bytes) {
    return Status::InvalidArgument(
        "chunk overlap",
        n(o.overlap_bytes) + " must be below the target size " + n(o.target_bytes));
  }
  if (o.min_bytes > o.target_bytes) {
    return Status::InvalidArgument(
        "chunk min size", n(o.min_bytes) + " must not exceed the target size " + n(o.target_bytes));
  }
  return Status::OK();
}

Result<Chunker> Chunker::Create(const ChunkerOptions& options) {
  ROXI_RETURN_IF_ERROR(ValidateChunkerOptions(options));
  return Chunker(options);
}

Chunker::Chunker(const ChunkerOptions& options)
    : options_(options), min_cut_bytes_(std::max(options.target_bytes / 2, options.min_bytes)) {}

namespace {

// One pass of the splitting loop over `doc`, a window of the document. Positions are relative to
// the window. With `final`, the window runs to the document's end; otherwise the loop stops before
// any chunk whose decision could look past the window (see Chunker::SplitSome).
// Invariant: doc ends in non-space (or is empty).
class Splitter {
 public:
  Splitter(const ChunkerOptions& options, uint32_t min_cut_bytes, std::string_view doc)
      : o_(options), min_cut_(min_cut_bytes), doc_(doc) {}

  // The bytes past a chunk's start its decision may read: the cut window, the widest whitespace
  // run Classify examines, and a Markdown line start after it.
  size_t Lookahead() const { return size_t{o_.max_bytes} + kMaxRunPeek + 16; }

  // Continues from chunk start *s (the previous chunk ending at *prev_end), appending chunks to
  // *chunks; returns true when the document is done.
  bool Run(size_t* s_io, size_t* prev_end_io, bool final, std::vector<ChunkSpan>* chunks) const {
    const size_t n = doc_.size();
    size_t s = *s_io;
    size_t prev_end = *prev_end_io;
    bool done = false;
    while (true) {
      if (s >= n && final) {
        done = true;
        break;
      }
      if (!final && n - std::min(n, s) < Lookahead()) break;
      if (n - s <= o_.target_bytes) {
        Emit(s, n, chunks);
        done = true;
        break;
      }
      size_t e = FindCut(s, prev_end);
      if (e >= n) {
        Emit(s, n, chunks);
        done = true;
        break;
      }
      while (IsSpace(doc_[e - 1])) --e;
      if (e <= prev_end) {
        // The overlap start sat before a whitespace gap wider than a chunk, so nothing past the
        // previous chunk fits: start afresh after it instead.
        s = SkipSpace(doc_, prev_end);
        continue;
      }
      const size_t next = NextStart(s, e);
      if (n - next < o_.min_bytes && n - s <= o_.max_bytes) {
        Emit(s, n, chunks);
        done = true;
        break;
      }
      Emit(s, e, chunks);
      prev_end = e;
      s = next;
    }
    *s_io = s;
    *prev_end_io = prev_end;
    return done;
  }

 private:
  void Emit(size_t s, size_t e, std::vector<ChunkSpan>* chunks) const {
    ROXI_DCHECK(s < e && e - s <= o_.max_bytes && !IsSpace(doc_[s]) && !IsSpace(doc_[e - 1]));
    chunks->push_back(ChunkSpan{s, static_cast<uint32_t>(e - s)});
  }

  // Where the chunk starting at s ends: the best cut after `floor` (the previous chunk's end).
  // REQUIRES: doc_.size() - s > target_bytes, and s > floor or s == 0.
  size_t FindCut(size_t s, size_t floor) const {
    const size_t n = doc_.size();
    const size_t hi = std::min(s + o_.max_bytes, n - 1);
    const size_t lo = std::max({s + min_cut_, floor + 1, s + 1});
    const size_t target = s + o_.target_bytes;
    constexpr size_t kNone = std::numeric_limits<size_t>::max();
    std::array<size_t, kLevels> best;
    std::array<size_t, kLevels> best_distance;
    best.fill(kNone);
    best_distance.fill(kNone);
    bool prev_space = IsSpace(doc_[lo - 1]);
    for (size_t p = lo; p <= hi; ++p) {
      const bool space = IsSpace(doc_[p]);
      if (space && !prev_space) {
        // p + 1 < n: doc_ ends in non-space.
        const Level level =
            doc_[p] == ' ' && !IsSpace(doc_[p + 1]) && !kMayEndSentence[Byte(doc_, p - 1)]
                ? kWord
                : Classify(doc_, p);
        const size_t distance = p <= target ? target - p : p - target;
        if (distance < best_distance[level]) {
          best[level] = p;
          best_distance[level] = distance;
        }
      }
      prev_space = space;
    }
    for (int level = kLevels - 1; level >= 0; --level) {
      if (best[level] != kNone) return best[level];
    }
    // No whitespace in the window: a shorter chunk ending at whitespace beats cutting a word.
    for (size_t p = lo - 1; p > floor && p > s; --p) {
      if (IsSpace(doc_[p]) && !IsSpace(doc_[p - 1])) return p;
    }
    if (s + o_.max_bytes >= n) return n;
    const size_t cut = FloorCodePointBoundary(doc_, s + o_.max_bytes);
    // Ill-formed input may hold no code point start near the cap; cut at the cap then.
    return cut > floor && cut > s && !IsUtf8Continuation(doc_[cut]) ? cut : s + o_.max_bytes;
  }

  // Where the chunk after [s, e) starts. REQUIRES: s < e < doc_.size(), doc_[e - 1] not space.
  size_t NextStart(size_t s, size_t e) const {
    const size_t overlap = std::min<size_t>(o_.overlap_bytes, (e - s) / 2);
    if (overlap == 0) return SkipSpace(doc_, e);
    const size_t p = e - overlap;
    const size_t sentence_limit = p + overlap / 2;
    // Back up to the start of the whitespace run p is in or just after, so its kind is known.
    // Invariant: r > s, since doc_[s] is not space.
    size_t r = p;
    while (IsSpace(doc_[r - 1])) --r;
    constexpr size_t kNone = std::numeric_limits<size_t>::max();
    size_t first_word = kNone;
    bool prev_space = IsSpace(doc_[r - 1]);
    for (size_t i = r; i < e; ++i) {
      const bool space = IsSpace(doc_[i]);
      if (space && !prev_space) {
        const size_t word = SkipSpace(doc_, i);  // < e, since doc_[e - 1] is not space
        if (first_word == kNone) first_word = word;
        if (word > sentence_limit) break;
        if (Classify(doc_, i) >= kSentence) return word;
        i = word - 1;
        prev_space = true;
        continue;
      }
      prev_space = space;
    }
    if (first_word != kNone) return first_word;
    // p is inside the chunk's last word: start mid-word, on a code point.
    return SkipSpace(doc_, std::min(CeilCodePointBoundary(doc_, p), e));
  }

  const ChunkerOptions& o_;
  const size_t min_cut_;
  const std::string_view doc_;
};

}  // namespace

std::vector<ChunkSpan> Chunker::Split(std::string_view document) const {
  std::vector<ChunkSpan> chunks;
  SplitState state;
  SplitSome(document, 0, /*final=*/true, &state, &chunks);
  return chunks;
}

size_t Chunker::Lookahead() const { return Splitter(options_, min_cut_bytes_, {}).Lookahead(); }

void Chunker::SplitSome(std::string_view window, uint64_t window_base, bool final,
                        SplitState* state, std::vector<ChunkSpan>* chunks) const {
  if (state->done) return;
  // Trailing whitespace is never part of a chunk; before the end it may still continue, so the
  // window stops at its last non-space byte either way.
  size_t n = window.size();
  while (n > 0 && IsSpace(window[n - 1])) --n;
  const std::string_view doc = window.substr(0, n);
  if (!state->begun) {
    if (doc.empty() && !final) return;
    ROXI_DCHECK(window_base == 0);
    state->start = SkipSpace(doc, 0);
    state->begun = true;
  }
  ROXI_DCHECK(state->start >= window_base);
  size_t s = static_cast<size_t>(state->start - window_base);
  // Before the window, the previous end only bounds cuts from below, which s + 1 already does.
  size_t prev_end =
      state->prev_end > window_base ? static_cast<size_t>(state->prev_end - window_base) : 0;
  const size_t first = chunks->size();
  state->done = Splitter(options_, min_cut_bytes_, doc).Run(&s, &prev_end, final, chunks);
  for (size_t i = first; i < chunks->size(); ++i) (*chunks)[i].byte_offset += window_base;
  state->start = window_base + s;
  state->prev_end = window_base + prev_end;
}

}  // namespace roxi::text
