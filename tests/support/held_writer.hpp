// SQLite's one writer held busy by a job of a test's own, so that the writes after it
// queue (store/sqlite_database.hpp) until the test releases it.
#pragma once

#include <latch>
#include <thread>

#include "store/database.hpp"

namespace essc::testing {

class HeldWriter {
 public:
  explicit HeldWriter(store::Database& db)
      : holder_([this, &db] {
          (void)db.write<int>([this](store::Connection&) -> Result<int> {
            held_.count_down();
            released_.wait();
            return 0;
          });
        }) {
    held_.wait();
  }
  ~HeldWriter() { release(); }
  HeldWriter(const HeldWriter&) = delete;
  HeldWriter& operator=(const HeldWriter&) = delete;

  // Lets the writer commit the holding job and everything queued behind it.
  void release() {
    if (!holder_.joinable()) return;
    released_.count_down();
    holder_.join();
  }

 private:
  std::latch held_{1};
  std::latch released_{1};
  std::thread holder_;
};

}  // namespace essc::testing
