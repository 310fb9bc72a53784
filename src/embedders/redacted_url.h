// RedactUrl: the form of a URL that may appear in errors and logs.
//
// Embedding endpoints are often configured with a secret inside the URL: user:password@host, or an
// API key in the query (?key=...). Errors must name the URL, but not those parts.
//
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace roxi::embedders {

// Returns `url` with any userinfo ("user:password@") removed from the authority and the query, if
// any, replaced by "?<redacted>". The fragment is dropped. Text that is not a URL is returned with
// the same rules applied as far as they can be.
std::string RedactUrl(std::string_view url);

}  // namespace roxi::embedders
