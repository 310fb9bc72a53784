#include "src/cli/effective_option.h"

#include <charconv>
#include <cstdint>

namespace roxi::cli {

namespace {

template <class T>
bool AppendIf(const boost::any& any, std::string* out) {
  const T* v = boost::any_cast<T>(&any);
  if (v == nullptr) return false;
  *out = std::to_string(*v);
  return true;
}

// The shortest text that reads back as the same double.
std::string DoubleText(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("(unprintable)");
}

std::string ScalarText(const boost::any& any) {
  std::string out;
  if (const auto* s = boost::any_cast<std::string>(&any)) return *s;
  if (const auto* b = boost::any_cast<bool>(&any)) return *b ? "true" : "false";
  if (const auto* d = boost::any_cast<double>(&any)) return DoubleText(*d);
  if (const auto* f = boost::any_cast<float>(&any)) return DoubleText(*f);
  if (AppendIf<int>(any, &out) || AppendIf<unsigned>(any, &out) || AppendIf<long>(any, &out) ||
      AppendIf<unsigned long>(any, &out) || AppendIf<long long>(any, &out) ||
      AppendIf<unsigned long long>(any, &out)) {
    return out;
  }
  return "(unprintable)";
}

}  // namespace

EffectiveOption DescribeOption(std::string name,
                               const boost::program_options::variable_value* value,
                               std::string source) {
  EffectiveOption option;
  option.name = std::move(name);
  option.source = std::move(source);
  if (value == nullptr || value->empty()) return option;
  if (const auto* list = boost::any_cast<std::vector<std::string>>(&value->value())) {
    option.is_list = true;
    option.values = *list;
    for (size_t i = 0; i < list->size(); ++i) option.value += (i == 0 ? "" : ", ") + (*list)[i];
    return option;
  }
  option.value = ScalarText(value->value());
  return option;
}

}  // namespace roxi::cli
