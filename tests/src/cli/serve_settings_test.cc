#include "src/cli/serve_settings.h"

#include <gtest/gtest.h>

namespace roxi::cli {
namespace {

TEST(ServeSettingsTest, DefaultsAreValid) {
  auto settings = ValidateServeFlags(ServeFlags{}, "/srv/roxi");
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  EXPECT_EQ(settings->daemon.processor.batch_size, 256u);
  EXPECT_EQ(settings->daemon.processor.target, 1.0);
  EXPECT_EQ(settings->maintenance.backups.folder, "/srv/roxi.backups");
  EXPECT_EQ(settings->maintenance.backups.every_seconds, 0.0);
  EXPECT_EQ(settings->host, "127.0.0.1");
  EXPECT_EQ(settings->port, 0);
}

TEST(ServeSettingsTest, RefusesEachBadValueNamingIt) {
  struct Case {
    void (*set)(ServeFlags*);
    const char* named;
  };
  const Case cases[] = {
      {[](ServeFlags* f) { f->batch_size = 0; }, "batch size 0"},
      {[](ServeFlags* f) { f->target = "0%"; }, "--target 0%"},
      {[](ServeFlags* f) { f->backup_every = "2x"; }, "--backup-every '2x'"},
      {[](ServeFlags* f) { f->listen = "nowhere"; }, "listen address 'nowhere'"},
      {[](ServeFlags* f) { f->embedder = "bogus"; }, "embedder spec"},
      {[](ServeFlags* f) { f->poll_min = 0; }, "poll-min"},
      {[](ServeFlags* f) { f->check_every = 0; }, "check-every"},
      {[](ServeFlags* f) { f->max_attempts = 0; }, "max attempts"},
  };
  for (const Case& c : cases) {
    ServeFlags flags;
    c.set(&flags);
    auto settings = ValidateServeFlags(flags, "/srv/roxi");
    ASSERT_FALSE(settings.ok()) << c.named;
    EXPECT_TRUE(settings.status().IsInvalidArgument()) << settings.status().ToString();
    EXPECT_NE(settings.status().message().find(c.named), std::string_view::npos)
        << settings.status().ToString();
  }
}

}  // namespace
}  // namespace roxi::cli
