#include "http/server/fiber_stacks.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <new>

#if defined(__SANITIZE_ADDRESS__)  // GCC
#define ESSC_ADDRESS_SANITIZER 1
#elif defined(__has_feature)  // clang
#if __has_feature(address_sanitizer)
#define ESSC_ADDRESS_SANITIZER 1
#endif
#endif
#if defined(ESSC_ADDRESS_SANITIZER)
#include <sanitizer/asan_interface.h>
#endif

namespace essc::http {
namespace {

std::size_t page_bytes() { return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)); }

}  // namespace

FiberStacks::FiberStacks(std::size_t stack_bytes, std::size_t idle_max)
    : stack_bytes_((stack_bytes + page_bytes() - 1) / page_bytes() * page_bytes()),
      idle_max_(idle_max) {}

FiberStacks::~FiberStacks() {
  for (const auto& stack : idle_) unmap(stack);
}

std::size_t FiberStacks::mapped_bytes() const { return stack_bytes_ + page_bytes(); }

boost::context::stack_context FiberStacks::allocate() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      const auto stack = idle_.back();
      idle_.pop_back();
      return stack;
    }
  }
  const std::size_t mapped = mapped_bytes();
  void* base = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (base == MAP_FAILED) throw std::bad_alloc();
  if (::mprotect(base, page_bytes(), PROT_NONE) != 0) {
    ::munmap(base, mapped);
    throw std::bad_alloc();
  }
  boost::context::stack_context stack;
  stack.size = stack_bytes_;
  stack.sp = static_cast<char*>(base) + mapped;  // stacks grow down, towards the guard
  return stack;
}

void FiberStacks::deallocate(boost::context::stack_context& stack) noexcept {
#if defined(ESSC_ADDRESS_SANITIZER)
  // ASan is not told of the fibers' switches (Debian's Boost.Context carries only
  // fcontext, whose switches have no sanitizer hooks), so frames an exception unwound on
  // this stack may have left their red zones poisoned: it goes back clean.
  __asan_unpoison_memory_region(static_cast<char*>(stack.sp) - stack.size, stack.size);
#endif
  {
    std::lock_guard lock(mutex_);
    if (idle_.size() < idle_max_) {
      idle_.push_back(stack);
      return;
    }
  }
  unmap(stack);
}

void FiberStacks::unmap(const boost::context::stack_context& stack) const noexcept {
  ::munmap(static_cast<char*>(stack.sp) - mapped_bytes(), mapped_bytes());
}

}  // namespace essc::http
