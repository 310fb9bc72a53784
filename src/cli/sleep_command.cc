// roxi sleep / roxi wake: put a running server into deep sleep now, or wake it.
#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/server_client.h"

namespace roxi::cli {

namespace {

int SendControl(const std::string& name, const std::string& about, const std::string& path,
                const CommandArgs& args) {
  CommandLine cl(name, "roxi " + name + " [options]", about);
  bool deep = true;
  if (name == "sleep") cl.options().add_options()("deep", po::bool_switch(&deep), "deep sleep (the only kind)");
  if (auto exit = cl.Parse(args)) return *exit;
  auto data_dir = cl.DataDir();
  if (!data_dir.ok()) return cl.Fail(data_dir.status());
  auto server = ServerClient::Find(*data_dir, cl.common());
  if (!server.ok()) {
    if (server.status().IsNotFound()) {
      return cl.Fail(Status::Unavailable("roxi " + name, "no 'roxi serve' runs on " + *data_dir));
    }
    return cl.Fail(server.status());
  }
  auto reply = server->Post(path, {{"deep", deep}});
  if (!reply.ok()) return cl.Fail(reply.status());
  return cl.Succeed({{"server", server->Describe()}}, "sent " + name + " to " + server->Describe() + "\n");
}

}  // namespace

int RunSleep(const CommandArgs& args) {
  return SendControl("sleep",
                     "Puts the running server into deep sleep now: it drops its index and caches and\n"
                     "returns memory to the OS until new work, a search or 'roxi wake' arrives.",
                     "/v1/sleep", args);
}

int RunWake(const CommandArgs& args) {
  return SendControl("wake", "Wakes the running server from deep sleep and makes it poll for work now.",
                     "/v1/wake", args);
}

}  // namespace roxi::cli
