// ROXI_DCHECK: asserts an invariant of roxi's own code (a bug if it fails). Data from disk, network or
// users is never checked with it: such input gets a Status. Active in every build, because a broken
// invariant in a storage engine is better stopped than carried into the store.
#pragma once

#include <cstdio>
#include <cstdlib>

#define ROXI_DCHECK(cond)                                                                    \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "roxi: internal error: %s:%d: check failed: %s\n", __FILE__,     \
                   __LINE__, #cond);                                                         \
      std::abort();                                                                          \
    }                                                                                        \
  } while (0)
