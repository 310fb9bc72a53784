// EffectiveOption: one option's value once flags, ROXI_* environment, config file and defaults
// are combined, and where that value came from; what 'roxi config --effective' prints.
//
// Thread-safety: values; the functions are pure.
#pragma once

#include <boost/program_options.hpp>

#include <string>
#include <vector>

namespace roxi::cli {

struct EffectiveOption {
  std::string name;      // the long option name, e.g. "batch-size"
  std::string value;     // as text, e.g. "256", "1.5", "true"; list elements joined by ", "
  bool is_list = false;  // a repeatable option (e.g. watch)
  std::vector<std::string> values;  // the elements of a list option; empty otherwise
  // "flag", "env ROXI_BATCH_SIZE", "file /var/lib/roxi/roxi.conf", "default", or "unset" (an
  // option without a default that nothing set).
  std::string source;
};

// Describes option `name` holding `value` (null when the option has no value) from `source`.
// Values of types roxi's options do not use are shown as "(unprintable)".
EffectiveOption DescribeOption(std::string name,
                               const boost::program_options::variable_value* value,
                               std::string source);

}  // namespace roxi::cli
