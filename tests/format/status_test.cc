// Tests of format/status.cc: messages, context, and Result's refusal of an OK status.
#include "format/status.h"

#include <gtest/gtest.h>

#include <string>

namespace roxi {
namespace {

TEST(StatusTest, OkIsCheapAndPrintsOk) {
  const Status ok = Status::OK();
  EXPECT_TRUE(ok.ok());
  EXPECT_TRUE(ok.message().empty());
  EXPECT_EQ(ok.ToString(), "ok");
  EXPECT_TRUE(ok.WithContext("opening store").ok());
}

TEST(StatusTest, MessagesJoinWhatAndDetail) {
  EXPECT_EQ(Status::Corruption("chunk record", "checksum mismatch").ToString(),
            "corruption: chunk record: checksum mismatch");
  EXPECT_EQ(Status::NotFound("chunk 1:2").ToString(), "not found: chunk 1:2");
  EXPECT_EQ(Status::NotSupported("x", "y").ToString(), "not supported: x: y");
}

TEST(StatusTest, WithContextPrefixesAndKeepsTheCode) {
  const Status s = Status::Corruption("chunk record", "bad text").WithContext("key 0000002a");
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.message(), "key 0000002a: chunk record: bad text");
}

TEST(StatusTest, CopiesAreIndependent) {
  Status a = Status::IOError("read", "/tmp/x");
  Status b = a;
  a = Status::OK();
  EXPECT_TRUE(b.IsIOError());
  EXPECT_EQ(b.message(), "read: /tmp/x");
}

TEST(StatusTest, EveryCodeHasAName) {
  for (int c = 0; c <= static_cast<int>(Status::Code::kInternal); ++c) {
    EXPECT_NE(Status::CodeName(static_cast<Status::Code>(c)), "unknown") << c;
  }
  EXPECT_TRUE(Status::FromCode(Status::Code::kOk, "ignored").ok());
  EXPECT_TRUE(Status::FromCode(Status::Code::kBusy, "lock").IsBusy());
}

TEST(ResultTest, HoldsAValueOrAnError) {
  Result<int> value = 7;
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 7);
  Result<int> error = Status::NotFound("x");
  EXPECT_TRUE(error.status().IsNotFound());
}

TEST(ResultTest, AnOkStatusWithoutAValueIsInternal) {
  Result<int> r = Status::OK();
  EXPECT_TRUE(r.status().IsInternal());
}

Result<int> Half(int v) {
  if (v % 2 != 0) return Status::InvalidArgument("half", "odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  ROXI_ASSIGN_OR_RETURN(const int h, Half(v));
  ROXI_ASSIGN_OR_RETURN(const int q, Half(h));
  return q;
}

TEST(ResultTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_TRUE(Quarter(6).status().IsInvalidArgument());
}

}  // namespace
}  // namespace roxi
