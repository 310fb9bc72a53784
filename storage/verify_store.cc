#include "storage/verify_store.h"

#include "storage/file_privacy.h"

namespace roxi::storage {

Result<VerifyReport> VerifyStore(const Store& store, const StoreCheckOptions& options) {
  VerifyReport report;
  ROXI_RETURN_IF_ERROR(store.CheckInto(options, &report));
  return report;
}

Result<VerifyReport> VerifyStoreAt(const std::string& data_dir, const StoreCheckOptions& options) {
  StoreOptions store_options;
  store_options.data_dir = data_dir;
  store_options.mode = StoreOptions::Mode::kReadOnly;
  // Read-only: verify reports modes and never changes them, so strictness is applied here.
  ROXI_ASSIGN_OR_RETURN(FolderPrivacy privacy,
                        SecureDataDir(data_dir, /*read_write=*/false, /*strict=*/false));
  // Damaged live files are listed by the checks, with the rest, rather than refused at open.
  store_options.check_live_files = false;
  auto store = Store::Open(store_options);
  if (!store.ok()) {
    // A store whose meta records do not decode opens with Corruption: that is a finding.
    if (!store.status().IsCorruption()) return store.status();
    VerifyReport report;
    report.store_checked = true;
    report.Add("record", data_dir, std::string(store.status().message()));
    return report;
  }
  ROXI_ASSIGN_OR_RETURN(VerifyReport report, VerifyStore(**store, options));
  for (std::string& warning : privacy.warnings) {
    if (options.strict_permissions) {
      report.Add("permissions", data_dir, std::move(warning));
    } else {
      report.warnings.push_back(std::move(warning));
    }
  }
  return report;
}

}  // namespace roxi::storage
