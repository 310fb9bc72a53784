#include "src/ingest/front_matter.h"

#include <algorithm>
#include <string>
#include <vector>

#include "src/ingest/document_metadata_input.h"

namespace roxi::ingest {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string Unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    const char q = v.front();
    v = v.substr(1, v.size() - 2);
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      // YAML's escapes of the quote itself: \" in double quotes, '' in single quotes.
      if (q == '"' && v[i] == '\\' && i + 1 < v.size() && (v[i + 1] == '"' || v[i + 1] == '\\')) {
        ++i;
      } else if (q == '\'' && v[i] == '\'' && i + 1 < v.size() && v[i + 1] == '\'') {
        ++i;
      }
      out.push_back(v[i]);
    }
    return out;
  }
  return std::string(v);
}

// Splits a flow list's inside at commas outside quotes.
std::vector<std::string> SplitFlowList(std::string_view inside) {
  std::vector<std::string> items;
  std::string current;
  char quote = 0;
  for (char c : inside) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      current.push_back(c);
    } else if (c == '"' || c == '\'') {
      quote = c;
      current.push_back(c);
    } else if (c == ',') {
      items.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  items.push_back(current);
  std::vector<std::string> out;
  for (const std::string& item : items) {
    std::string_view t = Trim(item);
    if (!t.empty()) out.push_back(Unquote(t));
  }
  return out;
}

// `v` without a trailing comment (YAML wants a space before its '#'; a quoted value ends at its
// closing quote).
std::string_view StripComment(std::string_view v) {
  if (v.empty() || v.front() == '#') return {};
  if (v.front() == '"' || v.front() == '\'') {
    const size_t close = v.rfind(v.front());
    if (close > 0) {
      const std::string_view rest = Trim(v.substr(close + 1));
      if (rest.empty() || rest.front() == '#') return v.substr(0, close + 1);
    }
    return v;
  }
  if (const size_t hash = v.find(" #"); hash != std::string_view::npos) return Trim(v.substr(0, hash));
  return v;
}

bool Indented(std::string_view line) { return !line.empty() && (line[0] == ' ' || line[0] == '\t'); }

Status LineError(size_t line_number, const std::string& what) {
  return Status::InvalidArgument("front matter line " + std::to_string(line_number), what);
}

}  // namespace

bool IsMarkdownName(std::string_view name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == "md" || ext == "markdown" || ext == "mdx";
}

Result<std::optional<format::DocumentMetadata>> ParseFrontMatter(std::string_view text) {
  std::string_view head = text.substr(0, kMaxFrontMatterBytes);
  if (head.size() >= 3 && static_cast<unsigned char>(head[0]) == 0xEF &&
      head.substr(0, 3) == "\xEF\xBB\xBF") {
    head.remove_prefix(3);  // a byte-order mark before the block
  }
  // Split into lines; the first must be the opening `---`.
  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos < head.size();) {
    const size_t end = head.find('\n', pos);
    if (end == std::string_view::npos) {
      lines.push_back(head.substr(pos));
      break;
    }
    lines.push_back(head.substr(pos, end - pos));
    pos = end + 1;
  }
  if (lines.empty() || Trim(lines[0]) != "---" || lines[0].substr(0, 3) != "---") {
    return std::optional<format::DocumentMetadata>();
  }
  format::DocumentMetadata fields;
  size_t i = 1;
  bool closed = false;
  while (i < lines.size()) {
    const size_t number = i + 1;
    const std::string_view line = lines[i];
    const std::string_view trimmed = Trim(line);
    if (!Indented(line) && (trimmed == "---" || trimmed == "...")) {
      closed = true;
      break;
    }
    ++i;
    if (trimmed.empty() || trimmed.front() == '#') continue;
    if (Indented(line)) return LineError(number, "indented line outside a list or block value");
    if (trimmed.front() == '-') return LineError(number, "a list item without a key above it");
    const size_t colon = trimmed.find(':');
    if (colon == std::string_view::npos) return LineError(number, "want 'key: value'");
    const std::string key = Unquote(Trim(trimmed.substr(0, colon)));
    const std::string what = "front matter line " + std::to_string(number);
    ROXI_RETURN_IF_ERROR(format::ValidateMetadataKey(key).WithContext(what));
    std::string_view value = Trim(trimmed.substr(colon + 1));
    value = StripComment(value);
    if (value.empty()) {
      // A block list, an empty value, or a nested mapping (refused).
      bool any = false;
      while (i < lines.size() && (Indented(lines[i]) || Trim(lines[i]).empty())) {
        const std::string_view item = Trim(lines[i]);
        const size_t item_number = i + 1;
        ++i;
        if (item.empty() || item.front() == '#') continue;
        if (item.front() != '-') {
          return LineError(item_number, "nested mappings are not supported (key '" + key + "')");
        }
        const std::string item_what = "front matter line " + std::to_string(item_number);
        ROXI_RETURN_IF_ERROR(
            AddMetadataValue(key, Unquote(Trim(item.substr(1))), item_what, &fields));
        any = true;
      }
      if (!any) ROXI_RETURN_IF_ERROR(AddMetadataValue(key, "", what, &fields));
      continue;
    }
    if (value == ">" || value == "|" || value == ">-" || value == "|-") {
      std::string joined;
      while (i < lines.size() && (Indented(lines[i]) || Trim(lines[i]).empty())) {
        const std::string_view part = Trim(lines[i]);
        ++i;
        if (!joined.empty()) joined.push_back(value.front() == '>' ? ' ' : '\n');
        joined.append(part);
      }
      while (!joined.empty() && (joined.back() == ' ' || joined.back() == '\n')) joined.pop_back();
      ROXI_RETURN_IF_ERROR(AddMetadataValue(key, joined, what, &fields));
      continue;
    }
    if (value.front() == '[') {
      if (value.back() != ']') return LineError(number, "a list opened with '[' is not closed");
      for (const std::string& item : SplitFlowList(value.substr(1, value.size() - 2))) {
        ROXI_RETURN_IF_ERROR(AddMetadataValue(key, item, what, &fields));
      }
      continue;
    }
    if (value.front() == '{') return LineError(number, "nested mappings are not supported");
    ROXI_RETURN_IF_ERROR(AddMetadataValue(key, Unquote(value), what, &fields));
  }
  if (!closed) {
    return LineError(1, text.size() > kMaxFrontMatterBytes && lines.size() > 1
                            ? "not closed by '---' within its first " +
                                  std::to_string(kMaxFrontMatterBytes) + " bytes"
                            : "not closed by a '---' line");
  }
  ROXI_RETURN_IF_ERROR(format::CanonicalizeMetadata(&fields).WithContext("front matter"));
  return std::optional<format::DocumentMetadata>(std::move(fields));
}

}  // namespace roxi::ingest
