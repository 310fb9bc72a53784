// SearchHit: one vector found by a search, and the one order every search result follows.
//
// Thread-safety: values and pure functions.
#pragma once

#include <cmath>
#include <cstdint>

namespace roxi::index {

struct SearchHit {
  uint64_t id = 0;
  float score = 0;  // inner product of the query and the stored vector
  bool operator==(const SearchHit&) const = default;
};

// True if `a` ranks before `b`: higher score first, equal scores by ascending id. A NaN score
// (only when a product overflows float, far from unit vectors) ranks after every number, so this
// is a strict total order on hits with distinct ids.
inline bool HitBefore(const SearchHit& a, const SearchHit& b) {
  const bool a_nan = std::isnan(a.score);
  const bool b_nan = std::isnan(b.score);
  if (a_nan != b_nan) return b_nan;
  if (!a_nan && a.score != b.score) return a.score > b.score;
  return a.id < b.id;
}

}  // namespace roxi::index
