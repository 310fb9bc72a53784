#include "format/archive_hash.h"

#include <xxhash.h>

namespace roxi::format {

struct Xxh3Stream::State {
  XXH3_state_t xxh;
};

Xxh3Stream::Xxh3Stream() : state_(std::make_unique<State>()) { Reset(); }
Xxh3Stream::~Xxh3Stream() = default;

void Xxh3Stream::Reset() {
  // why: XXH3_64bits_reset fails only on a null state, which state_ never is.
  (void)XXH3_64bits_reset(&state_->xxh);
}

void Xxh3Stream::Update(std::string_view data) {
  // why: as above, update fails only on a null state or a null input with a non-zero length.
  (void)XXH3_64bits_update(&state_->xxh, data.data(), data.size());
}

uint64_t Xxh3Stream::Digest() const { return XXH3_64bits_digest(&state_->xxh); }

}  // namespace roxi::format
