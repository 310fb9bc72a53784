#include "src/embedders/curl_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace roxi::embedders {
namespace {

using ::testing::HasSubstr;

const CaBundle kCa{"/etc/ssl/certs/ca-certificates.crt", "default"};

Status Map(CURLcode code, std::string_view curl_message = "") {
  return CurlTransferError(code, "http post https://host/v1", curl_message, kCa);
}

TEST(CurlStatusTest, TimeoutIsTimedOut) {
  Status s = Map(CURLE_OPERATION_TIMEDOUT, "Operation timed out after 200 milliseconds");
  EXPECT_TRUE(s.IsTimedOut());
  EXPECT_EQ(s.message(),
            "http post https://host/v1: timed out (curl error 28: Operation timed out after 200 "
            "milliseconds)");
}

TEST(CurlStatusTest, TransportFailuresAreUnavailable) {
  for (CURLcode code :
       {CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT,
        CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
        CURLE_HTTP2_STREAM, CURLE_WEIRD_SERVER_REPLY}) {
    EXPECT_TRUE(Map(code).IsUnavailable()) << code;
  }
}

TEST(CurlStatusTest, TlsFailuresAreUnavailableAndNameTheBundle) {
  for (CURLcode code : {CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION}) {
    Status s = Map(code);
    EXPECT_TRUE(s.IsUnavailable()) << code;
    EXPECT_THAT(std::string(s.message()),
                HasSubstr("ca bundle /etc/ssl/certs/ca-certificates.crt (from default)"));
  }
}

TEST(CurlStatusTest, UnreadableCaBundleIsIOError) {
  Status s = Map(CURLE_SSL_CACERT_BADFILE);
  EXPECT_TRUE(s.IsIOError());
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("cannot load ca bundle /etc/ssl/certs/ca-certificates.crt (from default)"));
}

TEST(CurlStatusTest, BadUrlIsInvalidArgument) {
  EXPECT_TRUE(Map(CURLE_URL_MALFORMAT).IsInvalidArgument());
  EXPECT_TRUE(Map(CURLE_UNSUPPORTED_PROTOCOL).IsInvalidArgument());
}

TEST(CurlStatusTest, MisuseIsInternal) {
  EXPECT_TRUE(Map(CURLE_OUT_OF_MEMORY).IsInternal());
  EXPECT_TRUE(Map(CURLE_BAD_FUNCTION_ARGUMENT).IsInternal());
  EXPECT_TRUE(Map(CURLE_UNKNOWN_OPTION).IsInternal());
}

TEST(CurlStatusTest, FallsBackToCurlsDescription) {
  EXPECT_EQ(Map(CURLE_COULDNT_CONNECT).message(),
            std::string("http post https://host/v1: server unreachable (curl error 7: ") +
                curl_easy_strerror(CURLE_COULDNT_CONNECT) + ")");
}

}  // namespace
}  // namespace roxi::embedders
