#include "src/embedders/embedding_response.h"

#include <cmath>
#include <exception>
#include <limits>
#include <nlohmann/json.hpp>

#include "src/text/utf8.h"

namespace roxi::embedders {

namespace {

using nlohmann::json;

constexpr size_t kMaxServerMessageBytes = 300;

Status Invalid(const std::string& problem) {
  return Status::Unavailable("invalid response", problem);
}

std::string ItemName(size_t position) { return "data[" + std::to_string(position) + "]"; }

// Checks one item and copies its embedding to row `index` of *out.
Status TakeItem(const json& item, size_t position, size_t count, uint32_t dim,
                std::vector<bool>* seen, std::vector<float>* out) {
  if (!item.is_object()) return Invalid(ItemName(position) + " is not an object");
  const auto index_it = item.find("index");
  if (index_it == item.end() || !index_it->is_number_integer()) {
    return Invalid(ItemName(position) + " has no integer index");
  }
  const int64_t index = index_it->get<int64_t>();
  if (index < 0 || static_cast<uint64_t>(index) >= count) {
    return Invalid(ItemName(position) + " has index " + std::to_string(index) + ", outside 0.." +
                   std::to_string(count - 1));
  }
  if ((*seen)[index]) {
    return Invalid(ItemName(position) + " repeats index " + std::to_string(index));
  }
  (*seen)[index] = true;
  const auto embedding = item.find("embedding");
  if (embedding == item.end() || !embedding->is_array()) {
    return Invalid(ItemName(position) + " has no embedding array");
  }
  if (embedding->size() != dim) {
    return Invalid(ItemName(position) + " has " + std::to_string(embedding->size()) +
                   " dimensions, expected " + std::to_string(dim));
  }
  float* row = out->data() + static_cast<size_t>(index) * dim;
  for (uint32_t d = 0; d < dim; ++d) {
    const json& v = (*embedding)[d];
    if (!v.is_number()) {
      return Invalid(ItemName(position) + " component " + std::to_string(d) + " is not a number");
    }
    const double value = v.get<double>();
    if (!std::isfinite(value) || std::fabs(value) > std::numeric_limits<float>::max()) {
      return Invalid(ItemName(position) + " component " + std::to_string(d) + " is not finite");
    }
    row[d] = static_cast<float>(value);
  }
  return Status::OK();
}

Result<uint32_t> Decode(std::string_view body, size_t count, uint32_t dim,
                        std::vector<float>* out) {
  const json doc = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Invalid("malformed json");
  if (!doc.is_object()) return Invalid("not a json object");
  const auto data = doc.find("data");
  if (data == doc.end() || !data->is_array()) {
    const std::string why = ServerErrorMessage(body);
    return Invalid("no data array" + (why.empty() ? "" : " (" + why + ")"));
  }
  if (data->size() != count) {
    return Invalid("data has " + std::to_string(data->size()) + " items for " +
                   std::to_string(count) + " inputs");
  }
  if (count == 0) return dim;
  if (dim == 0) {
    const json& first = (*data)[0];
    const auto e = first.is_object() ? first.find("embedding") : first.end();
    if (first.is_object() && e != first.end() && e->is_array()) {
      if (e->empty() || e->size() > std::numeric_limits<uint32_t>::max()) {
        return Invalid(ItemName(0) + " has an empty or oversized embedding");
      }
      dim = static_cast<uint32_t>(e->size());
    } else {
      return Invalid(ItemName(0) + " has no embedding array");
    }
  }
  out->assign(count * dim, 0.0f);
  std::vector<bool> seen(count, false);
  for (size_t i = 0; i < count; ++i) {
    ROXI_RETURN_IF_ERROR(TakeItem((*data)[i], i, count, dim, &seen, out));
  }
  return dim;
}

std::string Sanitise(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size() && out.size() < kMaxServerMessageBytes) {
    const size_t start = pos;
    const char32_t cp = text::DecodeUtf8(text, &pos);
    if (!text::IsValidUtf8(text.substr(start, pos - start))) continue;  // dropped
    if (cp <= 0x20 || cp == 0x7f) {  // runs of spaces and control characters become one space
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    out.append(text.substr(start, pos - start));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (pos < text.size()) out += "...";
  return out;
}

}  // namespace

Result<std::string> EncodeEmbeddingRequest(std::string_view model,
                                           std::span<const std::string_view> inputs,
                                           uint32_t dimensions) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    ROXI_RETURN_IF_ERROR(text::CheckUtf8(inputs[i], "embedding input " + std::to_string(i)));
  }
  ROXI_RETURN_IF_ERROR(text::CheckUtf8(model, "model name"));
  try {
    json doc = json::object();
    doc["model"] = std::string(model);
    json input = json::array();
    for (std::string_view text : inputs) input.push_back(std::string(text));
    doc["input"] = std::move(input);
    if (dimensions > 0) doc["dimensions"] = dimensions;
    return doc.dump();
  } catch (const std::exception& e) {
    return Status::Internal("encode embedding request", e.what());
  }
}

Result<uint32_t> DecodeEmbeddingResponse(std::string_view body, size_t count, uint32_t dim,
                                         std::vector<float>* out) {
  try {
    return Decode(body, count, dim, out);
  } catch (const std::exception& e) {
    return Invalid(std::string("unexpected json: ") + e.what());
  }
}

std::string ServerErrorMessage(std::string_view body) {
  try {
    const json doc = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_object()) {
      const auto error = doc.find("error");
      if (error != doc.end() && error->is_object()) {
        const auto message = error->find("message");
        if (message != error->end() && message->is_string()) {
          return Sanitise(message->get_ref<const std::string&>());
        }
      }
      if (error != doc.end() && error->is_string()) {
        return Sanitise(error->get_ref<const std::string&>());
      }
      const auto message = doc.find("message");
      if (message != doc.end() && message->is_string()) {
        return Sanitise(message->get_ref<const std::string&>());
      }
    }
  } catch (const std::exception&) {
    // why: an unreadable error body is reported as raw text below.
  }
  return Sanitise(body);
}

}  // namespace roxi::embedders
