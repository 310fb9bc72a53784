#include "src/cli/embedder_options.h"

#include <charconv>
#include <cstdlib>
#include <map>
#include <memory>
#include <string_view>

#include "src/common/log.h"
#include "src/embedders/builtin_embedder.h"
#include "src/embedders/embedder_identity.h"
#include "src/embedders/redacted_url.h"
#include "storage/file_privacy.h"

namespace roxi::cli {

namespace {

constexpr char kSeparator = '\0';
constexpr std::string_view kApiKeyVariable = "ROXI_EMBEDDER_API_KEY";

// Which kinds of embedder a flag applies to.
enum Kinds : unsigned { kBuiltin = 1, kOpenAi = 2, kStatic = 4 };

struct Flag {
  const char* name;
  unsigned kinds;
  const char* help;
};

constexpr Flag kFlags[] = {
    {"dimensions", kBuiltin | kOpenAi,
     "vector dimensions: builtin 8..4096 (default 384); openai: asked of the server (default: "
     "the model's own, learnt with one request)"},
    {"model", kOpenAi, "openai: model name sent with each request (required)"},
    {"api-key-file", kOpenAi,
     "openai: file holding the API key, refused unless only its owner can read it (default: "
     "$ROXI_EMBEDDER_API_KEY)"},
    {"ca-bundle", kOpenAi,
     "openai over https: PEM file of trusted CAs (default: $ROXI_CA_BUNDLE, $SSL_CERT_FILE, "
     "then the system bundle)"},
    {"timeout-ms", kOpenAi, "openai: time limit of one request in ms (default 60000)"},
    {"connect-timeout-ms", kOpenAi, "openai: time limit to connect in ms (default 10000)"},
    {"requests-in-flight", kOpenAi, "openai: requests kept running at once, 1..64 (default 4)"},
    {"max-requests-per-minute", kOpenAi, "openai: client-side request limit (default: none)"},
    {"max-tokens-per-minute", kOpenAi,
     "openai: client-side limit on estimated input tokens (default: none)"},
    {"max-batch-inputs", kOpenAi, "openai: most texts per request, 1..2048 (default 32)"},
    {"max-batch-bytes", kOpenAi, "openai: most bytes of text per request (default 262144)"},
    {"max-input-tokens", kOpenAi,
     "openai: longest text sent, in estimated tokens of 3 bytes (default 8191)"},
    {"oversize", kOpenAi, "openai: a longer text is truncated (default) or split and averaged"},
    {"max-retries", kOpenAi, "openai: retries of a failed request, 0..100 (default 6)"},
    {"pooling", kStatic,
     "static: how word vectors make a text's: sif (default, frequent words weigh less) or mean"},
};

std::string Pack(const std::string& spec, const std::map<std::string, std::string>& given) {
  std::string packed = spec;
  for (const auto& [name, value] : given) {
    packed += kSeparator;
    packed += name + "=" + value;
  }
  return packed;
}

// What AddEmbedderOption's notifiers fill in; shared by them, owned by the options description.
struct Collected {
  std::string spec = "builtin";
  std::map<std::string, std::string> given;
};

Result<uint64_t> ParseNumber(std::string_view flag, const std::string& text, uint64_t low,
                             uint64_t high) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    return Status::InvalidArgument(
        "--" + std::string(flag) + " " + text,
        "want a whole number in " + std::to_string(low) + ".." + std::to_string(high));
  }
  return value;
}

Status ApplyOpenAiFlag(const std::string& flag, const std::string& value,
                       embedders::OpenAiEmbedderOptions* o) {
  // Ranges here only keep the numbers representable; OpenAiEmbedder::Create checks the real ones.
  constexpr uint64_t kBig = uint64_t{1} << 40;
  if (flag == "model") {
    o->model = value;
  } else if (flag == "api-key-file") {
    ROXI_ASSIGN_OR_RETURN(o->api_key, storage::ReadSecretFile("--api-key-file", value));
  } else if (flag == "dimensions") {
    ROXI_ASSIGN_OR_RETURN(uint64_t n, ParseNumber(flag, value, 1, 16384));
    o->dimensions = static_cast<uint32_t>(n);
  } else if (flag == "ca-bundle") {
    o->ca_bundle = value;
  } else if (flag == "timeout-ms") {
    ROXI_ASSIGN_OR_RETURN(uint64_t n, ParseNumber(flag, value, 1, 3600000));
    o->timeout_ms = static_cast<int64_t>(n);
  } else if (flag == "connect-timeout-ms") {
    ROXI_ASSIGN_OR_RETURN(uint64_t n, ParseNumber(flag, value, 1, 3600000));
    o->connect_timeout_ms = static_cast<int64_t>(n);
  } else if (flag == "requests-in-flight") {
    ROXI_ASSIGN_OR_RETURN(uint64_t n, ParseNumber(flag, value, 1, 64));
    o->requests_in_flight = static_cast<uint32_t>(n);
  } else if (flag == "max-requests-per-minute") {
    ROXI_ASSIGN_OR_RETURN(o->rate_limits.requests_per_minute, ParseNumber(flag, value, 0, kBig));
  } else if (flag == "max-tokens-per-minute") {
    ROXI_ASSIGN_OR_RETURN(o->rate_limits.tokens_per_minute, ParseNumber(flag, value, 0, kBig));
  } else if (flag == "max-batch-inputs") {
    ROXI_ASSIGN_OR_RETURN(uint64_t n, ParseNumber(flag, value, 1, 2048));
    o->max_batch_inputs = static_cast<uint32_t>(n);
  } else if (flag == "max-batch-bytes") {
    ROXI_ASSIGN_OR_RETURN(o->max_batch_bytes, ParseNumber(flag, value, 1024, uint64_t{1} << 30));
  } else if (flag == "max-input-tokens") {
    ROXI_ASSIGN_OR_RETURN(o->max_input_tokens, ParseNumber(flag, value, 1, uint64_t{1} << 24));
  } else if (flag == "oversize") {
    ROXI_ASSIGN_OR_RETURN(o->oversize, embedders::ParseOversizePolicy(value));
  } else if (flag == "max-retries") {
    ROXI_ASSIGN_OR_RETURN(uint64_t n, ParseNumber(flag, value, 0, 100));
    o->retry.max_retries = static_cast<uint32_t>(n);
  }
  return Status::OK();
}

// The kind of embedder a spec names, as a Kinds bit; 0 for an unknown spec (CreateEmbedder
// reports it).
unsigned KindOf(std::string_view spec) {
  if (spec == "builtin") return kBuiltin;
  if (spec.starts_with("openai:")) return kOpenAi;
  if (spec.starts_with("static:")) return kStatic;
  return 0;
}

}  // namespace

void AddEmbedderOption(po::options_description* options, std::string* spec,
                       const std::set<std::string>& leave_out) {
  auto collected = std::make_shared<Collected>();
  *spec = collected->spec;
  po::options_description group("Embedder options");
  group.add_options()(
      "embedder",
      po::value<std::string>()->default_value("builtin")->notifier(
          [collected, spec](const std::string& value) {
            collected->spec = value;
            *spec = Pack(collected->spec, collected->given);
          }),
      "embedder: builtin (offline feature hashing, 384 dimensions), static:PATH (a word2vec or "
      "fastText .vec model file, offline) or openai:URL (a server speaking the OpenAI "
      "embeddings protocol, e.g. openai:http://127.0.0.1:11434/v1; API key from "
      "$ROXI_EMBEDDER_API_KEY)");
  for (const Flag& flag : kFlags) {
    const std::string name = flag.name;
    if (leave_out.count(name) > 0) continue;
    group.add_options()(
        flag.name,
        po::value<std::string>()->notifier([collected, spec, name](const std::string& value) {
          collected->given[name] = value;
          *spec = Pack(collected->spec, collected->given);
        }),
        flag.help);
  }
  options->add(group);
}

Result<embedders::EmbedderOptions> ParseEmbedderSpec(const std::string& packed) {
  embedders::EmbedderOptions options;
  size_t end = packed.find(kSeparator);
  options.spec = packed.substr(0, end);
  const unsigned kind = KindOf(options.spec);
  while (end != std::string::npos) {
    const size_t start = end + 1;
    end = packed.find(kSeparator, start);
    const std::string item = packed.substr(start, end == std::string::npos ? end : end - start);
    const size_t eq = item.find('=');
    const std::string flag = item.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
    const Flag* known = nullptr;
    for (const Flag& f : kFlags) {
      if (flag == f.name) known = &f;
    }
    if (known == nullptr) return Status::Internal("embedder flags", "unknown flag " + flag);
    if (kind != 0 && (known->kinds & kind) == 0) {
      const std::string shown = options.spec.substr(0, options.spec.find(':'));
      return Status::InvalidArgument("--" + flag, "does not apply to the " + shown + " embedder");
    }
    if (flag == "pooling") {
      ROXI_ASSIGN_OR_RETURN(options.pooling, embedders::ParsePooling(value));
    } else if (kind == kBuiltin && flag == "dimensions") {
      ROXI_ASSIGN_OR_RETURN(uint64_t n,
                            ParseNumber(flag, value, embedders::BuiltinEmbedder::kMinDim,
                                        embedders::BuiltinEmbedder::kMaxDim));
      options.dim = static_cast<uint32_t>(n);
    } else {
      ROXI_RETURN_IF_ERROR(ApplyOpenAiFlag(flag, value, &options.openai));
    }
  }
  if (kind == kOpenAi && options.openai.api_key.empty()) {  // --api-key-file comes first
    if (const char* key = std::getenv(std::string(kApiKeyVariable).c_str())) {
      options.openai.api_key = key;
    }
  }
  return options;
}

Result<format::EmbedderRecord> EmbedderIdentityFor(const std::string& spec) {
  ROXI_ASSIGN_OR_RETURN(embedders::EmbedderOptions options, ParseEmbedderSpec(spec));
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<embedders::Embedder> embedder,
                        embedders::CreateEmbedder(options));
  return embedders::IdentityOf(embedder->info());
}

Result<std::unique_ptr<embedders::Embedder>> OpenEmbedderFor(storage::Store* store,
                                                             const std::string& spec) {
  ROXI_ASSIGN_OR_RETURN(embedders::EmbedderOptions options, ParseEmbedderSpec(spec));
  ROXI_ASSIGN_OR_RETURN(std::unique_ptr<embedders::Embedder> embedder,
                        embedders::CreateEmbedder(options));
  ROXI_RETURN_IF_ERROR(store->BindEmbedder(embedders::IdentityOf(embedder->info())));
  common::LogInfo("embedder ready", {{"id", embedder->info().id},
                                     {"dim", embedder->info().dim},
                                     {"spec", embedders::RedactUrl(options.spec)}});
  return embedder;
}

}  // namespace roxi::cli
