// Clang thread-safety annotations (-Wthread-safety) and the annotated Mutex every roxi class with
// shared state uses. Under GCC the annotations compile to nothing; the checks run in clang builds.
//
// Thread-safety: Mutex is a mutex; MutexLock is a scoped holder owned by one thread.
#pragma once

#include <mutex>

#if defined(__clang__)
#define ROXI_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define ROXI_THREAD_ANNOTATION(x)
#endif

#define ROXI_CAPABILITY(x) ROXI_THREAD_ANNOTATION(capability(x))
#define ROXI_SCOPED_CAPABILITY ROXI_THREAD_ANNOTATION(scoped_lockable)
#define ROXI_GUARDED_BY(x) ROXI_THREAD_ANNOTATION(guarded_by(x))
#define ROXI_PT_GUARDED_BY(x) ROXI_THREAD_ANNOTATION(pt_guarded_by(x))
#define ROXI_REQUIRES(...) ROXI_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ROXI_EXCLUDES(...) ROXI_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ROXI_ACQUIRE(...) ROXI_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ROXI_RELEASE(...) ROXI_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define ROXI_ASSERT_CAPABILITY(x) ROXI_THREAD_ANNOTATION(assert_capability(x))
#define ROXI_NO_THREAD_SAFETY_ANALYSIS ROXI_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace roxi {

class ROXI_CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ROXI_ACQUIRE() { mu_.lock(); }
  void Unlock() ROXI_RELEASE() { mu_.unlock(); }
  // Documents (and, for the analysis, asserts) that the caller holds the lock.
  void AssertHeld() const ROXI_ASSERT_CAPABILITY(this) {}
  std::mutex& native() { return mu_; }

 private:
  std::mutex mu_;
};

class ROXI_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ROXI_ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() ROXI_RELEASE() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

}  // namespace roxi
