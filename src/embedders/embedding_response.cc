#include "src/embedders/embedding_response.h"

#include <cmath>
#include <exception>
#include <limits>
#include <nlohmann/json.hpp>

#include "src/embedders/json_scanner.h"
#include "src/text/utf8.h"

namespace roxi::embedders {

namespace {

using nlohmann::json;

constexpr size_t kMaxServerMessageBytes = 300;

Status Invalid(const std::string& problem) {
  return Status::Unavailable("invalid response", problem);
}

std::string ItemName(size_t position) { return "data[" + std::to_string(position) + "]"; }

// Follows a response token by token (ScanJson) and writes each embedding straight into its output
// row: no document tree is built, which matters for tens of thousands of numbers per response.
// The checks and their order are those of walking the document: the root, then the data array,
// then the item count, then each item in order (object, index, range, repeat, embedding array,
// dimension, components).
class ResponseReader final : public JsonHandler {
 public:
  ResponseReader(size_t count, uint32_t dim, std::vector<float>* out)
      : count_(count), dim_(dim), out_(out), seen_(count, false) {}

  bool root_is_object() const { return root_is_object_; }
  bool data_found() const { return data_is_array_; }

  // The verdict once the whole body was read: the dimension, or what is wrong.
  Result<uint32_t> Finish() const {
    if (items_ != count_) {
      return Invalid("data has " + std::to_string(items_) + " items for " + std::to_string(count_) +
                     " inputs");
    }
    if (!item_error_.empty()) return Invalid(item_error_);
    return dim_;
  }

  void StartObject() override { Open(true); }
  void StartArray() override { Open(false); }
  void EndObject() override { Close(); }
  void EndArray() override { Close(); }
  void Key(std::string_view key) override { key_.assign(key); }
  void Number(double value, bool integer, int64_t as_integer) override {
    if (InItem() && key_ == "index") {
      item_.has_index = true;
      item_.index_is_integer = integer;
      item_.index = as_integer;
      return;
    }
    Scalar(true, value);
  }
  void OtherScalar() override { Scalar(false, 0); }

 private:
  enum class Frame { kRoot, kData, kItem, kEmbedding, kOther };

  struct Item {
    size_t position = 0;
    bool is_object = true;
    bool has_index = false;
    bool index_is_integer = false;
    int64_t index = 0;
    bool has_embedding = false;
    bool embedding_is_array = false;
    std::vector<float> values;
    std::string component_error;  // about the first bad component
  };

  bool InItem() const { return !stack_.empty() && stack_.back() == Frame::kItem; }

  void NewItem(bool is_object) {
    item_.position = items_++;
    item_.is_object = is_object;
    item_.has_index = item_.index_is_integer = false;
    item_.has_embedding = item_.embedding_is_array = false;
    item_.values.clear();
    item_.component_error.clear();
  }

  void Component(bool is_number, double value) {
    const size_t d = item_.values.size();
    item_.values.push_back(0.0f);
    if (!item_.component_error.empty()) return;
    if (!is_number) {
      item_.component_error = "component " + std::to_string(d) + " is not a number";
    } else if (!std::isfinite(value) || std::fabs(value) > std::numeric_limits<float>::max()) {
      item_.component_error = "component " + std::to_string(d) + " is not finite";
    } else {
      item_.values.back() = static_cast<float>(value);
    }
  }

  // A value that is not a container.
  void Scalar(bool is_number, double value) {
    if (stack_.empty()) {
      root_is_object_ = false;
      return;
    }
    switch (stack_.back()) {
      case Frame::kRoot:
        if (key_ == "data") data_is_array_ = false;
        return;
      case Frame::kData:
        NewItem(false);
        FinishItem();
        return;
      case Frame::kItem:
        if (key_ == "index") {
          item_.has_index = true;
          item_.index_is_integer = false;
        } else if (key_ == "embedding") {
          item_.has_embedding = true;
          item_.embedding_is_array = false;
        }
        return;
      case Frame::kEmbedding:
        Component(is_number, value);
        return;
      case Frame::kOther:
        return;
    }
  }

  void Open(bool is_object) {
    Frame next = Frame::kOther;
    if (stack_.empty()) {
      root_is_object_ = is_object;
      if (is_object) next = Frame::kRoot;
    } else {
      switch (stack_.back()) {
        case Frame::kRoot:
          if (key_ == "data") {
            data_is_array_ = !is_object;
            if (!is_object) next = Frame::kData;
          }
          break;
        case Frame::kData:
          NewItem(is_object);
          if (is_object) {
            next = Frame::kItem;
          } else {
            FinishItem();
          }
          break;
        case Frame::kItem:
          if (key_ == "index") {
            item_.has_index = true;
            item_.index_is_integer = false;
          } else if (key_ == "embedding") {
            item_.has_embedding = true;
            item_.embedding_is_array = !is_object;
            item_.values.clear();
            item_.component_error.clear();
            if (!is_object) next = Frame::kEmbedding;
          }
          break;
        case Frame::kEmbedding:
          Component(false, 0);
          break;
        case Frame::kOther:
          break;
      }
    }
    stack_.push_back(next);
    key_.clear();
  }

  void Close() {
    const Frame closed = stack_.back();
    stack_.pop_back();
    if (closed == Frame::kItem) FinishItem();
    key_.clear();
  }

  // Checks the item just read and stores its row; keeps the first problem found.
  void FinishItem() {
    if (!item_error_.empty() || item_.position >= count_) return;
    const std::string name = ItemName(item_.position);
    if (dim_ == 0) {
      // Learning the dimension from the first item comes before checking anything else of it.
      if (!item_.is_object || !item_.has_embedding || !item_.embedding_is_array) {
        item_error_ = name + " has no embedding array";
        return;
      }
      if (item_.values.empty()) {
        item_error_ = name + " has an empty or oversized embedding";
        return;
      }
      dim_ = static_cast<uint32_t>(item_.values.size());
    }
    if (!item_.is_object) {
      item_error_ = name + " is not an object";
    } else if (!item_.has_index || !item_.index_is_integer) {
      item_error_ = name + " has no integer index";
    } else if (item_.index < 0 || static_cast<uint64_t>(item_.index) >= count_) {
      item_error_ = name + " has index " + std::to_string(item_.index) + ", outside 0.." +
                    std::to_string(count_ - 1);
    } else if (seen_[item_.index]) {
      item_error_ = name + " repeats index " + std::to_string(item_.index);
    } else if (!item_.has_embedding || !item_.embedding_is_array) {
      item_error_ = name + " has no embedding array";
    }
    if (!item_error_.empty()) return;
    seen_[item_.index] = true;
    if (item_.values.size() != dim_) {
      item_error_ = name + " has " + std::to_string(item_.values.size()) +
                    " dimensions, expected " + std::to_string(dim_);
      return;
    }
    if (!item_.component_error.empty()) {
      item_error_ = name + " " + item_.component_error;
      return;
    }
    if (out_->size() != count_ * dim_) out_->assign(count_ * dim_, 0.0f);
    std::copy(item_.values.begin(), item_.values.end(),
              out_->begin() + static_cast<size_t>(item_.index) * dim_);
  }

  const size_t count_;
  uint32_t dim_;
  std::vector<float>* const out_;
  std::vector<bool> seen_;
  std::vector<Frame> stack_;
  std::string key_;
  bool root_is_object_ = true;
  bool data_is_array_ = false;
  size_t items_ = 0;
  Item item_;
  std::string item_error_;  // the first item's problem, reported if the count is right
};

Result<uint32_t> Decode(std::string_view body, size_t count, uint32_t dim,
                        std::vector<float>* out) {
  out->clear();
  ResponseReader reader(count, dim, out);
  if (!ScanJson(body, &reader)) return Invalid("malformed json");
  if (!reader.root_is_object()) return Invalid("not a json object");
  if (!reader.data_found()) {
    const std::string why = ServerErrorMessage(body);
    return Invalid("no data array" + (why.empty() ? "" : " (" + why + ")"));
  }
  return reader.Finish();
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
