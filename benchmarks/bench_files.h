// Files for the benchmarks: a self-deleting temporary directory, and a generated corpus of
// English-like documents (bench_text.h) written to disk, the input `roxi ingest` and the Ingester
// read. The same spec and seed give the same bytes on every machine, so the pipeline benchmark and
// the corpus generator for tools/bench-pipeline.sh (tools/gen_corpus.cc) write identical corpora.
//
// Thread-safety: TempDir is a resource owner used by one thread; WriteCorpus is reentrant.
#pragma once

#include <stdlib.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "benchmarks/bench_text.h"
#include "format/status.h"

namespace roxi::bench {

// A fresh directory under the system temporary directory ($TMPDIR, else /tmp), removed with all its
// contents when the TempDir dies. path() is empty if creation failed; error() then says why.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "roxi-bench") {
    std::error_code ec;
    const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    if (ec) {
      error_ = "temporary directory: " + ec.message();
      return;
    }
    std::string pattern = (base / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      error_ = "mkdtemp " + pattern + ": " + std::strerror(errno);
      return;
    }
    path_ = pattern;
  }
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;  // why: a directory left behind in $TMPDIR must not fail a benchmark
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  std::string error_;
};

// `files` Markdown files of paragraphs, each at least `file_bytes` long (EnglishLikeText stops at
// the paragraph that crosses it), named doc-00000.md, doc-00001.md, ... so that name order (the
// order the Ingester reads a folder in) is generation order. File i is EnglishLikeText(file_bytes,
// seed + i). With the defaults below and the default chunker options (target 1000 bytes, overlap
// 150), a file gives about 120 chunks and the corpus about 60,000 chunks in 51 MB.
struct CorpusSpec {
  size_t files = 500;
  size_t file_bytes = 100 * 1024;
  uint64_t seed = 20261124;
};

inline std::string CorpusFileName(size_t index) {
  char name[32];
  std::snprintf(name, sizeof(name), "doc-%05zu.md", index);
  return name;
}

// Writes the corpus into the existing directory `dir` and adds the bytes written to *bytes.
// IOError naming the file if one cannot be written.
inline Status WriteCorpus(const std::string& dir, const CorpusSpec& spec, uint64_t* bytes) {
  for (size_t i = 0; i < spec.files; ++i) {
    const std::string path = (std::filesystem::path(dir) / CorpusFileName(i)).string();
    const std::string text = EnglishLikeText(spec.file_bytes, spec.seed + i);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) return Status::IOError("corpus file " + path, "write failed");
    *bytes += text.size();
  }
  return Status::OK();
}

}  // namespace roxi::bench
