// End to end: a store embedded by an older version of the built-in embedder is refused, not
// searched with vectors that no longer match the ones the current version computes.
#include <string>
#include <vector>

#include "format/hash.h"
#include "storage/store.h"
#include "tests/cli/cli_fixture.h"

namespace roxi::testing {
namespace {

class BuiltinVersionTest : public CliTest {};

TEST_F(BuiltinVersionTest, StoreOfHashV1IsRefusedNamingBothIds) {
  {
    storage::StoreOptions options;
    options.data_dir = data_dir();
    auto store = storage::Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    // The exact id roxi's default embedder had before hash-v2: same kind and dimension.
    const std::string id = "builtin:hash-v1:384:d7210799";
    ASSERT_TRUE((*store)->BindEmbedder({id, format::Xxh3(id), 384}).ok());
  }
  for (const char* command : {"process", "search"}) {
    std::vector<std::string> args;
    if (std::string(command) == "search") args.push_back("anything");
    RunResult r = Roxi(command, args);
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find("'builtin:hash-v1:384:d7210799'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("'builtin:hash-v2:384:"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace roxi::testing
