// Fuzz target of DecodeStaticModelCache (FORMAT.md §9). Every input is decoded twice: as given,
// and with its last 8 bytes replaced by the checksum of the rest, so that mutations get past the
// checksum to the field checks. A cache that decodes must be canonical (re-encodes to the same
// bytes) and every word must be found at its own rank.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "format/coding.h"
#include "format/hash.h"
#include "format/static_model_cache.h"

namespace {

void Check(std::string_view in) {
  roxi::Result<roxi::format::StaticModelCacheView> view = roxi::format::DecodeStaticModelCache(in);
  if (!view.ok()) return;
  for (uint64_t r = 0; r < view->header.word_count; ++r) {
    const std::optional<uint64_t> found = view->Find(view->Word(r));
    if (!found || *found != r) std::abort();
  }
  std::string again;
  roxi::format::EncodeStaticModelCache(roxi::format::CopyStaticModelCache(*view), &again);
  if (again != in) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  Check(in);
  if (size >= roxi::format::kXxh3Size) {
    std::string resealed(in.substr(0, size - roxi::format::kXxh3Size));
    roxi::format::PutFixed64(&resealed, roxi::format::Xxh3(resealed));
    Check(resealed);
  }
  return 0;
}
