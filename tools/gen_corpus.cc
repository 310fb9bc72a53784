// roxi_gen_corpus: writes the generated English-like corpus the pipeline benchmark ingests
// (benchmarks/bench_files.h) into a folder, for timing the real binary (tools/bench-pipeline.sh).
//
//   roxi_gen_corpus DIR [FILES [FILE_BYTES [SEED]]]
//
// Defaults: 500 files of 102400 bytes, seed 20261124, the benchmark's own corpus (about 60,000
// chunks with the default chunker options, ~120 per file). DIR is created if missing; existing
// doc-NNNNN.md files in it are overwritten. Prints "<files> <bytes>" on stdout. Exit codes: 0 ok,
// 2 bad arguments, 4 a file could not be written.
//
// A tool, not part of roxi: it never links into the roxi binary.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "benchmarks/bench_files.h"

namespace {

// Parses a positive decimal integer; false on anything else.
bool ParseCount(const char* text, uint64_t* value) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v == 0 || text[0] == '-') return false;
  *value = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // A first argument that looks like an option (--help) is a request for usage, never a folder.
  if (argc < 2 || argc > 5 || argv[1][0] == '-') {
    std::fprintf(stderr, "usage: roxi_gen_corpus DIR [FILES [FILE_BYTES [SEED]]]\n");
    return 2;
  }
  roxi::bench::CorpusSpec spec;
  uint64_t files = spec.files, file_bytes = spec.file_bytes, seed = spec.seed;
  if ((argc > 2 && !ParseCount(argv[2], &files)) ||
      (argc > 3 && !ParseCount(argv[3], &file_bytes)) ||
      (argc > 4 && !ParseCount(argv[4], &seed))) {
    std::fprintf(stderr,
                 "roxi_gen_corpus: error: FILES, FILE_BYTES and SEED are positive integers\n");
    return 2;
  }
  spec.files = files;
  spec.file_bytes = file_bytes;
  spec.seed = seed;
  std::error_code ec;
  std::filesystem::create_directories(argv[1], ec);
  if (ec) {
    std::fprintf(stderr, "roxi_gen_corpus: error: folder %s: %s\n", argv[1], ec.message().c_str());
    return 4;
  }
  uint64_t bytes = 0;
  roxi::Status s = roxi::bench::WriteCorpus(argv[1], spec, &bytes);
  if (!s.ok()) {
    std::fprintf(stderr, "roxi_gen_corpus: error: %s\n", s.ToString().c_str());
    return 4;
  }
  std::printf("%llu %llu\n", static_cast<unsigned long long>(spec.files),
              static_cast<unsigned long long>(bytes));
  return 0;
}
