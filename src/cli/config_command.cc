// roxi config: shows the configuration the serve daemon would run with, and where each value
// comes from (flag, environment, config file or default).
#include <algorithm>
#include <sstream>

#include "src/cli/command_line.h"
#include "src/cli/commands.h"
#include "src/cli/serve_options.h"
#include "src/cli/serve_settings.h"

namespace roxi::cli {

int RunConfig(const CommandArgs& args) {
  CommandLine cl("config", "roxi config --effective [options]",
                 "Prints every option of 'roxi serve' with its effective value and its source:\n"
                 "a flag, a ROXI_* environment variable, the config file (--config, else\n"
                 "<data-dir>/roxi.conf when it exists) or the default. Serve options given here\n"
                 "count as flags, so a command line can be checked before it is used: a value\n"
                 "'roxi serve' would refuse is refused here too (exit 2).");
  bool effective = false;
  ServeFlags flags;
  cl.options().add_options()("effective", po::bool_switch(&effective),
                             "print the effective value and source of every serve option");
  po::options_description serve("Serve options (as 'roxi serve' takes them)");
  AddServeOptions(&serve, &flags);
  cl.options().add(serve);
  if (auto exit = cl.Parse(args)) return *exit;
  if (!effective) {
    return cl.Fail(Status::InvalidArgument(
        "roxi config", "nothing to do: give --effective (see 'roxi config --help')"));
  }

  // What serve would refuse is refused here too, with the same message and exit code.
  if (auto settings = ValidateServeFlags(flags, cl.common().data_dir); !settings.ok()) {
    return cl.Fail(settings.status());
  }

  std::vector<EffectiveOption> options = cl.Effective();
  std::erase_if(options, [](const EffectiveOption& o) { return o.name == "effective"; });
  nlohmann::json by_name = nlohmann::json::object();
  size_t width = 0;
  for (const auto& o : options) {
    by_name[o.name] = {{"value", o.is_list ? nlohmann::json(o.values) : nlohmann::json(o.value)},
                       {"source", o.source}};
    width = std::max(width, o.name.size());
  }
  const std::string& file = cl.config_file();
  nlohmann::json doc = {
      {"config_file", file.empty() ? nlohmann::json(nullptr) : nlohmann::json(file)},
      {"options", by_name}};
  std::ostringstream text;
  text << "config file: " << (file.empty() ? "(none)" : file) << "\n";
  for (const auto& o : options) {
    std::string name = o.name;
    name.resize(width + 2, ' ');
    std::string value = !o.value.empty() ? o.value : o.is_list ? "(none)" : "''";
    if (value.size() < 24) value.resize(24, ' ');
    text << name << value << "  " << o.source << "\n";
  }
  return cl.Succeed(doc, text.str());
}

}  // namespace roxi::cli
