// roxi status: what the store holds and how far processing has come.
#include <sstream>

#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/processor/processor.h"

namespace roxi::cli {

namespace {

std::string HexId(const std::array<uint8_t, 16>& id) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint8_t b : id) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

}  // namespace

int RunStatus(const CommandArgs& args) {
  CommandLine cl("status", "roxi status [options]",
                 "Prints documents, chunks, embedded, pending and failed counts, percent complete,\n"
                 "store size and embedder. Reads the store without locking it, so it works while\n"
                 "another roxi process writes.");
  if (auto exit = cl.Parse(args)) return *exit;
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());
  storage::StoreOptions store_options;
  store_options.data_dir = *data_dir;
  store_options.mode = storage::StoreOptions::Mode::kReadOnly;
  auto store = storage::Store::Open(store_options);
  if (!store.ok()) return cl.Fail(store.status());

  const auto c = (*store)->GetCounters();
  const auto info = (*store)->GetStoreInfo();
  const double percent = 100.0 * processor::DoneFraction(c);
  const uint64_t bytes = (*store)->DiskBytes();
  auto embedder = (*store)->GetEmbedder();
  nlohmann::json embedder_json = nullptr;
  if (embedder.ok()) embedder_json = {{"id", embedder->id}, {"dim", embedder->dim}};
  nlohmann::json checkpoint_json = nullptr;
  if (auto cp = (*store)->GetCheckpoint("process"); cp.ok()) {
    checkpoint_json = {{"batches_committed", cp->batches_committed},
                       {"chunks_embedded", cp->chunks_embedded},
                       {"chunks_failed", cp->chunks_failed},
                       {"last_batch_size", cp->last_batch_size},
                       {"last_batch_ms", static_cast<double>(cp->last_batch_micros) / 1000.0},
                       {"updated_at_micros", cp->updated_at_micros}};
  }
  nlohmann::json doc = {{"data_dir", *data_dir},
                        {"store_id", HexId(info.store_id)},
                        {"schema_version", info.schema_version},
                        {"documents", c.documents},
                        {"chunks", c.chunks},
                        {"embedded", c.embedded},
                        {"pending", c.pending},
                        {"failed", c.failed},
                        {"embeddings_reused", c.embeddings_reused},
                        {"percent_complete", percent},
                        {"store_bytes", bytes},
                        {"embedder", embedder_json},
                        {"checkpoint", checkpoint_json}};
  std::ostringstream text;
  char pct[16];
  std::snprintf(pct, sizeof pct, "%.1f%%", percent);
  text << "data dir:    " << *data_dir << "\n"
       << "store size:  " << HumanBytes(bytes) << "\n"
       << "embedder:    " << (embedder.ok() ? embedder->id : std::string("(none yet)")) << "\n"
       << "documents:   " << c.documents << "\n"
       << "chunks:      " << c.chunks << "\n"
       << "embedded:    " << c.embedded << "\n"
       << "pending:     " << c.pending << "\n"
       << "failed:      " << c.failed << "\n"
       << "complete:    " << pct << "\n";
  return cl.Succeed(doc, text.str());
}

}  // namespace roxi::cli
