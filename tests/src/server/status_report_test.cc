#include "src/server/status_report.h"

#include <gtest/gtest.h>

#include "tests/storage/backup_test_store.h"
#include "tests/support/temp_dir.h"

namespace roxi::server {
namespace {

// Regression test: reasons carried the embedding server's port, so one failure split into a
// group per port the server ever had.
TEST(FailureReasonGroupTest, DropsThePortOfEveryUrl) {
  EXPECT_EQ(FailureReasonGroup("invalid argument: openai embedder http://127.0.0.1:41234/v1: HTTP "
                               "400: input too long"),
            "invalid argument: openai embedder http://127.0.0.1/v1: HTTP 400: input too long");
  EXPECT_EQ(FailureReasonGroup("openai embedder http://127.0.0.1:41234/v1"),
            FailureReasonGroup("openai embedder http://127.0.0.1:50001/v1"));
  EXPECT_EQ(FailureReasonGroup("a https://h:8443 and http://[::1]:9/x"),
            "a https://h and http://[::1]/x");
  EXPECT_EQ(FailureReasonGroup("http://[::1]/x"), "http://[::1]/x");
  EXPECT_EQ(FailureReasonGroup("too long: 9000 tokens, limit 8191"),
            "too long: 9000 tokens, limit 8191");
  EXPECT_EQ(FailureReasonGroup(""), "");
  EXPECT_EQ(FailureReasonGroup("http://"), "http://");
}

TEST(StatusReportTest, ShowsEmbeddedAndFailedApart) {
  roxi::testing::TempDir dir;
  auto store = storage::testing::OpenStore(dir.path().string());
  ASSERT_NE(store, nullptr);
  storage::testing::Populate(store.get(), "doc", 10, 7);
  auto report = CollectStatus(*store);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const auto& c = report->counters;
  ASSERT_GT(c.failed, 0u);
  EXPECT_DOUBLE_EQ(report->percent_embedded, 100.0 * c.embedded / c.chunks);
  EXPECT_DOUBLE_EQ(report->percent_failed, 100.0 * c.failed / c.chunks);
  const std::string text = StatusToText(*report);
  char line[96];
  std::snprintf(line, sizeof line, "complete:    %.1f%% embedded, %.1f%% failed",
                report->percent_embedded, report->percent_failed);
  EXPECT_NE(text.find(line), std::string::npos) << text;
  ASSERT_EQ(report->failures_by_reason.size(), 1u);
  EXPECT_EQ(report->failures_by_reason[0].second, c.failed);
  const auto json = StatusToJson(*report);
  EXPECT_EQ(json["percent_failed"], report->percent_failed);
}

}  // namespace
}  // namespace roxi::server
