// StartLoggedThread: a background thread whose body may not let an exception escape (that would
// call std::terminate and take the whole server down); one that does is logged as the thread
// dying, naming it.
//
// Thread-safety: the returned thread joins on destruction, as std::jthread does.
#pragma once

#include <functional>
#include <string>
#include <thread>

namespace roxi::common {

// Runs `body` on a new thread. `name` says which thread died in the log ("processor thread").
std::jthread StartLoggedThread(std::string name, std::function<void()> body);

}  // namespace roxi::common
