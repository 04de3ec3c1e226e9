// The fibers' stacks (worker_pool.hpp): mapped with a guard page below each, so an
// overflow faults instead of overwriting a neighbour, and kept for reuse up to a bound,
// so a request does not pay for mapping and first-touch faults of a fresh stack.
//
// Thread safety: allocate() and deallocate() may be called from any thread.
#pragma once

#include <boost/context/stack_context.hpp>
#include <cstddef>
#include <mutex>
#include <vector>

namespace essc::http {

class FiberStacks {
 public:
  FiberStacks(std::size_t stack_bytes, std::size_t idle_max);
  ~FiberStacks();
  FiberStacks(const FiberStacks&) = delete;
  FiberStacks& operator=(const FiberStacks&) = delete;

  boost::context::stack_context allocate();
  void deallocate(boost::context::stack_context& stack) noexcept;

  // Boost.Context's StackAllocator for asio::spawn: a copyable handle to the pool.
  class Allocator {
   public:
    explicit Allocator(FiberStacks& stacks) : stacks_(&stacks) {}
    boost::context::stack_context allocate() { return stacks_->allocate(); }
    void deallocate(boost::context::stack_context& stack) noexcept { stacks_->deallocate(stack); }

   private:
    FiberStacks* stacks_;
  };
  Allocator allocator() { return Allocator(*this); }

 private:
  std::size_t mapped_bytes() const;
  void unmap(const boost::context::stack_context& stack) const noexcept;

  const std::size_t stack_bytes_;
  const std::size_t idle_max_;
  std::mutex mutex_;
  std::vector<boost::context::stack_context> idle_;
};

}  // namespace essc::http
