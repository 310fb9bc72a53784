#include "src/common/logged_thread.h"

#include <exception>
#include <utility>

#include "src/common/log.h"

namespace roxi::common {

std::jthread StartLoggedThread(std::string name, std::function<void()> body) {
  return std::jthread([name = std::move(name), body = std::move(body)] {
    try {
      body();
    } catch (const std::exception& e) {
      LogError(name + " died", {{"error", e.what()}});
    } catch (...) {
      LogError(name + " died", {{"error", "unknown exception"}});
    }
  });
}

}  // namespace roxi::common
