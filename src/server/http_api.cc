#include "src/server/http_api.h"

#include <httplib.h>

#include <charconv>
#include <optional>

#include "src/common/clock.h"
#include "src/common/log.h"
#include "src/server/backup_json.h"
#include "src/server/document_metadata_json.h"
#include "src/server/documents_json.h"
#include "src/server/http_error.h"
#include "src/server/http_server.h"
#include "src/server/ingest_json.h"
#include "src/server/ingest_roots.h"
#include "src/server/embedder_identity_json.h"
#include "src/server/maintenance_report.h"
#include "src/server/search_json.h"

namespace roxi::server {

namespace {

int HttpStatusFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument:
    case Status::Code::kNotSupported: return 400;
    case Status::Code::kNotFound: return 404;
    case Status::Code::kBusy: return 409;
    case Status::Code::kUnavailable:
    case Status::Code::kTimedOut: return 503;
    default: return 500;
  }
}

void Reply(httplib::Response& res, const nlohmann::json& doc, int status = 200) {
  res.status = status;
  res.set_content(doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

void ReplyError(httplib::Response& res, const Status& s) {
  Reply(res,
        {{"ok", false},
         {"error", {{"code", std::string(Status::CodeName(s.code()))}, {"message", std::string(s.message())}}}},
        HttpStatusFor(s));
}

// Runs a handler body, turning exceptions (malformed JSON, wrong types) into 400 replies.
template <class Fn>
httplib::Server::Handler Guarded(Fn fn) {
  return [fn](const httplib::Request& req, httplib::Response& res) {
    try {
      fn(req, res);
    } catch (const nlohmann::json::exception& e) {
      ReplyError(res, Status::InvalidArgument("request body", e.what()));
    } catch (const std::exception& e) {
      ReplyError(res, Status::Internal("request " + req.path, e.what()));
    } catch (...) {
      ReplyError(res, Status::Internal("request " + req.path, "unknown exception"));
    }
  };
}

nlohmann::json Body(const httplib::Request& req) {
  if (req.body.empty()) return nlohmann::json::object();
  return nlohmann::json::parse(req.body);
}

}  // namespace

struct HttpApi::Impl {
  explicit Impl(const HttpServerOptions& options) : server(options) {}
  HttpServer server;
  Maintenance* maintenance = nullptr;  // set before Start, read by handlers
};

Status ParseListenAddress(const std::string& listen, std::string* host, int* port) {
  const size_t colon = listen.rfind(':');
  const Status bad = Status::InvalidArgument("listen address '" + listen + "'", "want HOST:PORT");
  if (colon == std::string::npos || colon == 0) return bad;
  *host = listen.substr(0, colon);
  const std::string digits = listen.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *port);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || *port < 0 ||
      *port > 65535) {
    return bad;
  }
  return Status::OK();
}

HttpApi::HttpApi(Daemon* daemon, HttpApiOptions options, std::function<void()> on_shutdown,
                 EmbedderFactory make_embedder)
    : impl_(std::make_unique<Impl>(options.server)), daemon_for_routes_(daemon) {
  httplib::Server& s = impl_->server.routes();
  s.Get("/v1/health", Guarded([](const httplib::Request&, httplib::Response& res) {
    Reply(res, {{"ok", true}});
  }));
  s.Get("/v1/status", Guarded([this, daemon](const httplib::Request& req, httplib::Response& res) {
    auto report = daemon->GetStatus();
    if (!report.ok()) return ReplyError(res, report.status());
    Maintenance* maintenance = impl_->maintenance;
    if (req.get_param_value("format") == "text") {
      std::string text = StatusToText(*report);
      if (maintenance != nullptr) text += MaintenanceText(maintenance->Snapshot());
      return Reply(res, {{"ok", true}, {"text", text}});
    }
    nlohmann::json doc = StatusToJson(*report);
    if (maintenance != nullptr) AddMaintenanceJson(maintenance->Snapshot(), &doc);
    doc["ok"] = true;
    Reply(res, doc);
  }));
  s.Post("/v1/ingest", Guarded([daemon, roots = options.ingest_roots](const httplib::Request& req,
                                                                     httplib::Response& res) {
    const nlohmann::json body = Body(req);
    IngestRequest request;
    request.paths = body.value("paths", std::vector<std::string>{});
    request.ingest.document_id = body.value("id", std::string());
    request.sync = body.value("sync", false);
    if (body.contains("content")) request.content = body.at("content").get<std::string>();
    if (body.contains("metadata")) {
      auto metadata = MetadataFromJson(body.at("metadata"), "metadata");
      if (!metadata.ok()) return ReplyError(res, metadata.status());
      request.ingest.metadata = *std::move(metadata);
    }
    auto& chunker = request.ingest.chunker;
    chunker.target_bytes = body.value("chunk_size", chunker.target_bytes);
    chunker.max_bytes = body.value("chunk_max", chunker.max_bytes);
    chunker.overlap_bytes = body.value("chunk_overlap", chunker.overlap_bytes);
    Status allowed = CheckIngestPaths(roots, request.paths);
    if (!allowed.ok()) return Reply(res, ErrorDocument(allowed), 403);
    auto report = daemon->Ingest(request);
    if (!report.ok()) return ReplyError(res, report.status());
    nlohmann::json doc = IngestReportToJson(*report);
    doc["ok"] = true;
    Reply(res, doc);
  }));
  s.Post("/v1/search", Guarded([daemon](const httplib::Request& req, httplib::Response& res) {
    const nlohmann::json body = Body(req);
    index::SearchOptions options;
    options.k = body.value("k", options.k);
    options.snippet_bytes = body.value("snippet_bytes", options.snippet_bytes);
    SearchReply reply;
    if (body.contains("min_score")) {
      const nlohmann::json& value = body.at("min_score");
      if (!value.is_number()) {
        return ReplyError(res, Status::InvalidArgument("min_score " + value.dump(), "want a number"));
      }
      reply.min_score = value.get<float>();
      options.min_score = *reply.min_score;
    }
    if (body.contains("filter")) {
      auto filter = FilterFromJson(body.at("filter"), common::SystemClock().NowMicros());
      if (!filter.ok()) return ReplyError(res, filter.status());
      options.filter = *std::move(filter);
    }
    reply.query = body.value("query", std::string());
    reply.k = options.k;
    std::optional<format::EmbedderRecord> client_embedder;
    if (body.contains("embedder")) {
      auto identity = EmbedderIdentityFromJson(body.at("embedder"));
      if (!identity.ok()) return ReplyError(res, identity.status());
      client_embedder = *identity;
    }
    auto results = daemon->Search(reply.query, options, &reply.embedder, &reply.stats,
                                  client_embedder ? &*client_embedder : nullptr);
    if (!results.ok()) return ReplyError(res, results.status());
    reply.results = std::move(results).value();
    nlohmann::json doc = SearchReplyToJson(reply);
    doc["ok"] = true;
    Reply(res, doc);
  }));
  s.Get("/v1/documents", Guarded([daemon](const httplib::Request& req, httplib::Response& res) {
          size_t limit = 1000;
          if (req.has_param("limit")) {
            const std::string text = req.get_param_value("limit");
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
            if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
              return ReplyError(res,
                                Status::InvalidArgument("limit '" + text + "'", "want a number"));
            }
          }
          auto page = daemon->ListDocuments(req.get_param_value("prefix"),
                                            req.get_param_value("after"), limit);
          if (!page.ok()) return ReplyError(res, page.status());
          nlohmann::json doc = DocumentPageToJson(*page);
          doc["ok"] = true;
          Reply(res, doc);
        }));
  s.Post("/v1/documents/delete",
         Guarded([daemon](const httplib::Request& req, httplib::Response& res) {
           auto request = DeleteRequestFromJson(Body(req));
           if (!request.ok()) return ReplyError(res, request.status());
           auto report = daemon->Delete(*request);
           if (!report.ok()) return ReplyError(res, report.status());
           nlohmann::json doc = DeleteReportToJson(*report);
           doc["ok"] = true;
           Reply(res, doc);
         }));
  // DELETE /v1/documents/<name>: the name URL-encoded (a path's slashes as %2F or as they are).
  s.Delete(R"(/v1/documents/(.+))",
           Guarded([daemon](const httplib::Request& req, httplib::Response& res) {
             ingest::DeleteRequest request;
             request.names.push_back(req.matches[1].str());
             request.dry_run = req.get_param_value("dry_run") == "true";
             auto report = daemon->Delete(request);
             if (!report.ok()) return ReplyError(res, report.status());
             nlohmann::json doc = DeleteReportToJson(*report);
             doc["ok"] = true;
             Reply(res, doc);
           }));
  s.Post("/v1/process", Guarded([daemon](const httplib::Request& req, httplib::Response& res) {
    const nlohmann::json body = Body(req);
    uint64_t requeued = 0;
    if (body.value("retry_failed", false)) {
      auto n = daemon->RetryFailed();
      if (!n.ok()) return ReplyError(res, n.status());
      requeued = *n;
    }
    if (body.contains("target")) {
      Status s = daemon->SetTarget(body.at("target").get<double>());
      if (!s.ok()) return ReplyError(res, s);
    }
    daemon->Wake();
    Reply(res, {{"ok", true}, {"requeued", requeued}});
  }));
  s.Post("/v1/reembed", Guarded([daemon, make_embedder](const httplib::Request& req,
                                                       httplib::Response& res) {
    const nlohmann::json body = Body(req);
    if (body.value("cancel", false)) {
      Status s = daemon->CancelReembed();
      if (!s.ok()) return ReplyError(res, s);
      return Reply(res, {{"ok", true}, {"cancelled", true}});
    }
    if (!make_embedder) return ReplyError(res, Status::NotSupported("re-embed", "not offered here"));
    const std::string spec = body.value("embedder", std::string());
    auto target = make_embedder(spec);
    if (!target.ok()) return ReplyError(res, target.status());
    auto query = make_embedder(spec);
    if (!query.ok()) return ReplyError(res, query.status());
    const std::string id = (*target)->info().id;
    Status s = daemon->StartReembed(std::move(target).value(), std::move(query).value(),
                                    body.value("batch_size", size_t{256}));
    if (!s.ok()) return ReplyError(res, s);
    Reply(res, {{"ok", true}, {"target", id}});
  }));
  s.Post("/v1/sleep", Guarded([daemon](const httplib::Request&, httplib::Response& res) {
    daemon->ForceDeepSleep();
    Reply(res, {{"ok", true}});
  }));
  s.Post("/v1/wake", Guarded([daemon](const httplib::Request&, httplib::Response& res) {
    daemon->Wake();
    Reply(res, {{"ok", true}});
  }));
  s.Post("/v1/shutdown", Guarded([on_shutdown](const httplib::Request&, httplib::Response& res) {
    Reply(res, {{"ok", true}});
    on_shutdown();
  }));
}

HttpApi::~HttpApi() { Stop(); }

void HttpApi::SetMaintenance(Maintenance* maintenance) {
  impl_->maintenance = maintenance;
  AddMaintenanceRoutes(daemon_for_routes_);
}

void HttpApi::AddMaintenanceRoutes(Daemon* daemon) {
  httplib::Server& s = impl_->server.routes();
  Maintenance* maintenance = impl_->maintenance;
  // A backup runs on this request's worker thread; searches keep being answered by the others.
  s.Post("/v1/backup", Guarded([maintenance](const httplib::Request& req, httplib::Response& res) {
    const nlohmann::json body = Body(req);
    storage::BackupOptions options;
    options.folder = body.value("folder", std::string());
    options.level = body.value("level", options.level);
    options.threads = body.value("threads", options.threads);
    options.full = body.value("full", false);
    auto report = maintenance->BackupNow(options);
    if (!report.ok()) return ReplyError(res, report.status());
    nlohmann::json doc = BackupReportToJson(*report);
    doc["ok"] = true;
    Reply(res, doc);
  }));
  s.Get("/metrics", Guarded([daemon, maintenance](const httplib::Request&, httplib::Response& res) {
    auto report = daemon->GetStatus();
    if (!report.ok()) return ReplyError(res, report.status());
    res.status = 200;
    res.set_content(MetricsText(*report, maintenance->Snapshot()),
                    "text/plain; version=0.0.4; charset=utf-8");
  }));
}

Status HttpApi::Start(const std::string& host, int port) {
  ROXI_RETURN_IF_ERROR(impl_->server.Start(host, port));
  port_ = impl_->server.port();
  return Status::OK();
}

void HttpApi::Stop() {
  if (impl_) impl_->server.Stop();
}

}  // namespace roxi::server
