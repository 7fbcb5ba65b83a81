// The write wrappers and the journal behind checkpoints (see checkpoint_journal.h).
#include "journal/checkpoint_journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

extern "C" {
ssize_t __real_pwrite64(int fd, const void* buf, size_t size, off64_t offset);
ssize_t __real_pread64(int fd, void* buf, size_t size, off64_t offset);
int __real_ftruncate64(int fd, off64_t length);
int __real_close(int fd);
}

namespace h5dat {
namespace {

struct TrackedFile {
  std::string path;
  // The file's size at the last checkpoint: bytes below it are the checkpoint's.
  uint64_t limit = 0;
  // Writes below `limit` since, by offset; entries never overlap.
  std::map<uint64_t, std::vector<uint8_t>> held;
  // A truncation below `limit` since (-1: none), done at the commit.
  int64_t truncate = -1;
};

std::mutex mutex;

// Never destroyed: HDF5 closes files from its own exit handler, after static destructors may
// have run, and its pwrite/close calls still come through here (a destroyed map was a
// use-after-free at exit under ASan).
std::map<int, TrackedFile>& Tracked() {
  static auto* files = new std::map<int, TrackedFile>();
  return *files;
}

// Record types of a journal, after its 8-byte header.
constexpr char kHeader[8] = {'H', '5', 'D', 'A', 'T', 'J', '1', '\n'};
constexpr uint8_t kWrite = 1;     // u64 offset, u64 length, bytes
constexpr uint8_t kTruncate = 2;  // u64 length
constexpr uint8_t kCommit = 3;    // u64 records before it, u32 crc32 of every byte before it

std::runtime_error Failure(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " '" + path + "': " + std::strerror(errno));
}

// Holds [offset, offset + size): entries it overlaps are merged into one (they and it form
// one contiguous range), the new bytes on top.
void Hold(TrackedFile& file, uint64_t offset, const uint8_t* data, size_t size) {
  uint64_t end = offset + size;
  auto first = file.held.upper_bound(offset);
  if (first != file.held.begin()) {
    auto previous = std::prev(first);
    if (previous->first + previous->second.size() > offset) first = previous;
  }
  uint64_t start = offset, stop = end;
  auto last = first;
  for (; last != file.held.end() && last->first < end; ++last) {
    start = std::min(start, last->first);
    stop = std::max(stop, last->first + last->second.size());
  }
  std::vector<uint8_t> merged(stop - start);
  for (auto entry = first; entry != last; ++entry) std::memcpy(merged.data() + (entry->first - start), entry->second.data(), entry->second.size());
  std::memcpy(merged.data() + (offset - start), data, size);
  file.held.erase(first, last);
  file.held.emplace(start, std::move(merged));
  if (file.truncate >= 0) file.truncate = std::max<int64_t>(file.truncate, static_cast<int64_t>(end));
}

// Copies the held bytes within [offset, offset + size) over what was read from the file.
void Overlay(const TrackedFile& file, uint64_t offset, uint8_t* buffer, size_t size) {
  auto entry = file.held.upper_bound(offset);
  if (entry != file.held.begin()) --entry;
  for (; entry != file.held.end() && entry->first < offset + size; ++entry) {
    uint64_t from = std::max(offset, entry->first);
    uint64_t to = std::min(offset + size, entry->first + entry->second.size());
    if (from < to) std::memcpy(buffer + (from - offset), entry->second.data() + (from - entry->first), to - from);
  }
}

bool WriteAll(int fd, const void* data, size_t size) {
  auto* bytes = static_cast<const uint8_t*>(data);
  while (size > 0) {
    ssize_t done = ::write(fd, bytes, size);
    if (done < 0 && errno == EINTR) continue;
    if (done <= 0) return false;
    bytes += done;
    size -= static_cast<size_t>(done);
  }
  return true;
}

bool PwriteAll(int fd, const uint8_t* data, size_t size, uint64_t offset) {
  while (size > 0) {
    ssize_t done = __real_pwrite64(fd, data, size, static_cast<off64_t>(offset));
    if (done < 0 && errno == EINTR) continue;
    if (done <= 0) return false;
    data += done;
    size -= static_cast<size_t>(done);
    offset += static_cast<uint64_t>(done);
  }
  return true;
}

// A journal's text, built in memory: the commit record's checksum covers everything before it.
class JournalText {
 public:
  JournalText() { Append(kHeader, sizeof kHeader); }
  void AddWrite(uint64_t offset, const std::vector<uint8_t>& bytes) {
    Append(&kWrite, 1);
    Number(offset);
    Number(bytes.size());
    Append(bytes.data(), bytes.size());
    records_++;
  }
  void AddTruncate(uint64_t length) {
    Append(&kTruncate, 1);
    Number(length);
    records_++;
  }
  const std::vector<uint8_t>& Finish() {
    uint32_t crc = static_cast<uint32_t>(crc32(0L, text_.data(), static_cast<uInt>(text_.size())));
    Append(&kCommit, 1);
    Number(records_);
    Append(&crc, sizeof crc);
    return text_;
  }

 private:
  void Append(const void* data, size_t size) {
    auto* bytes = static_cast<const uint8_t*>(data);
    text_.insert(text_.end(), bytes, bytes + size);
  }
  void Number(uint64_t value) { Append(&value, sizeof value); }
  std::vector<uint8_t> text_;
  uint64_t records_ = 0;
};

// One step of a journal being applied: a write, or a truncation (data null).
struct Step {
  uint64_t offset;
  const uint8_t* data;
  uint64_t length;
};

// The steps of a complete journal; false when it is incomplete or damaged (the crash came
// while it was being written: the file was not touched yet).
bool ParseJournal(const std::vector<uint8_t>& text, std::vector<Step>& steps) {
  if (text.size() < sizeof kHeader || std::memcmp(text.data(), kHeader, sizeof kHeader) != 0) return false;
  size_t at = sizeof kHeader;
  auto number = [&](uint64_t& value) {
    if (text.size() - at < sizeof value) return false;
    std::memcpy(&value, text.data() + at, sizeof value);
    at += sizeof value;
    return true;
  };
  while (at < text.size()) {
    uint8_t type = text[at++];
    uint64_t a = 0, b = 0;
    if (type == kWrite) {
      if (!number(a) || !number(b) || text.size() - at < b) return false;
      steps.push_back({a, text.data() + at, b});
      at += b;
    } else if (type == kTruncate) {
      if (!number(a)) return false;
      steps.push_back({0, nullptr, a});
    } else if (type == kCommit) {
      size_t checked = at - 1;
      uint32_t crc = 0;
      if (!number(a) || text.size() - at != sizeof crc) return false;
      std::memcpy(&crc, text.data() + at, sizeof crc);
      return a == steps.size() && crc == static_cast<uint32_t>(crc32(0L, text.data(), static_cast<uInt>(checked)));
    } else {
      return false;
    }
  }
  return false;
}

bool Apply(int fd, const std::vector<Step>& steps) {
  for (const Step& step : steps) {
    bool done = step.data ? PwriteAll(fd, step.data, step.length, step.offset) : __real_ftruncate64(fd, static_cast<off64_t>(step.length)) == 0;
    if (!done) return false;
  }
  return true;
}

std::string JournalPath(const std::string& path) { return path + ".journal"; }

// fsync, retried when a signal cut it short.
bool Sync(int fd) {
  int done;
  do {
    done = ::fsync(fd);
  } while (done != 0 && errno == EINTR);
  return done == 0;
}

// A new or removed name is durable once its directory is.
bool SyncDirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string directory = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool synced = Sync(fd);
  __real_close(fd);
  return synced;
}

// Lock held. Each step is on disk before the next begins (as SQLite orders its journal): the
// bytes written past the checkpoint (what the held writes will point to), then the journal,
// then the held writes; so a power loss, too, leaves either the last checkpoint or this one.
void Commit(TrackedFile& file, int fd) {
  if (!Sync(fd)) throw Failure("cannot sync", file.path);
  if (!file.held.empty() || file.truncate >= 0) {
    JournalText text;
    for (const auto& [offset, bytes] : file.held) text.AddWrite(offset, bytes);
    if (file.truncate >= 0) text.AddTruncate(static_cast<uint64_t>(file.truncate));
    const std::vector<uint8_t>& journal = text.Finish();
    std::string journalPath = JournalPath(file.path);
    int out = ::open(journalPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) throw Failure("cannot write the checkpoint journal", journalPath);
    bool written = WriteAll(out, journal.data(), journal.size()) && Sync(out);
    __real_close(out);
    if (!written || !SyncDirectoryOf(journalPath)) {
      ::unlink(journalPath.c_str());
      throw Failure("cannot write the checkpoint journal", journalPath);
    }
    // Test seam: a crash between the N-th journal and its writes (test/h5/checkpoints.test.ts).
    static int journals = 0;
    const char* crashAt = getenv("H5DAT_TEST_CRASH_AFTER_JOURNAL");
    if (crashAt && ++journals == atoi(crashAt)) _exit(86);
    std::vector<Step> steps;
    ParseJournal(journal, steps);
    if (!Apply(fd, steps) || !Sync(fd)) throw Failure("cannot write checkpoint", file.path);
    ::unlink(journalPath.c_str());
    file.held.clear();
    file.truncate = -1;
  }
  struct stat status;
  if (fstat(fd, &status) != 0) throw Failure("cannot stat", file.path);
  file.limit = static_cast<uint64_t>(status.st_size);
}

}  // namespace

void RecoverJournal(const std::string& path) {
  std::string journalPath = JournalPath(path);
  int in = ::open(journalPath.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return;
  std::vector<uint8_t> text;
  uint8_t block[1 << 16];
  for (ssize_t got; (got = ::read(in, block, sizeof block)) != 0;) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      __real_close(in);
      throw Failure("cannot read the checkpoint journal", journalPath);
    }
    text.insert(text.end(), block, block + got);
  }
  __real_close(in);
  std::vector<Step> steps;
  if (ParseJournal(text, steps)) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw Failure("cannot finish the interrupted checkpoint of", path);
    bool applied = Apply(fd, steps) && Sync(fd);
    __real_close(fd);
    if (!applied) throw Failure("cannot finish the interrupted checkpoint of", path);
  }
  ::unlink(journalPath.c_str());
}

void TrackJournal(int fd, const std::string& path) {
  struct stat status;
  if (fstat(fd, &status) != 0) throw Failure("cannot stat", path);
  std::lock_guard<std::mutex> lock(mutex);
  TrackedFile& file = Tracked()[fd];
  file = TrackedFile();
  file.path = path;
  file.limit = static_cast<uint64_t>(status.st_size);
}

void CommitJournal(int fd) {
  std::lock_guard<std::mutex> lock(mutex);
  auto found = Tracked().find(fd);
  if (found != Tracked().end()) Commit(found->second, fd);
}

}  // namespace h5dat

// The wrapped calls (-Wl,--wrap=pwrite64,...): untracked descriptors pass straight through.
using h5dat::Tracked;

extern "C" ssize_t __wrap_pwrite64(int fd, const void* buf, size_t size, off64_t offset) {
  std::unique_lock<std::mutex> lock(h5dat::mutex);
  auto found = Tracked().find(fd);
  if (found == Tracked().end() || static_cast<uint64_t>(offset) >= found->second.limit) {
    lock.unlock();
    return __real_pwrite64(fd, buf, size, offset);
  }
  h5dat::TrackedFile& file = found->second;
  size_t below = static_cast<size_t>(std::min<uint64_t>(size, file.limit - static_cast<uint64_t>(offset)));
  h5dat::Hold(file, static_cast<uint64_t>(offset), static_cast<const uint8_t*>(buf), below);
  if (below == size) return static_cast<ssize_t>(size);
  ssize_t rest = __real_pwrite64(fd, static_cast<const uint8_t*>(buf) + below, size - below, offset + static_cast<off64_t>(below));
  return rest < 0 ? rest : static_cast<ssize_t>(below) + rest;
}

extern "C" ssize_t __wrap_pread64(int fd, void* buf, size_t size, off64_t offset) {
  ssize_t got = __real_pread64(fd, buf, size, offset);
  if (got <= 0) return got;
  std::lock_guard<std::mutex> lock(h5dat::mutex);
  auto found = Tracked().find(fd);
  if (found != Tracked().end()) h5dat::Overlay(found->second, static_cast<uint64_t>(offset), static_cast<uint8_t*>(buf), static_cast<size_t>(got));
  return got;
}

extern "C" int __wrap_ftruncate64(int fd, off64_t length) {
  std::unique_lock<std::mutex> lock(h5dat::mutex);
  auto found = Tracked().find(fd);
  if (found != Tracked().end()) {
    h5dat::TrackedFile& file = found->second;
    if (static_cast<uint64_t>(length) < file.limit) {
      file.truncate = length;
      return 0;
    }
    file.truncate = -1;
  }
  lock.unlock();
  return __real_ftruncate64(fd, length);
}

// Closing a tracked file commits what it holds first: HDF5's last writes happen inside H5Fclose.
extern "C" int __wrap_close(int fd) {
  std::unique_lock<std::mutex> lock(h5dat::mutex);
  auto found = Tracked().find(fd);
  if (found != Tracked().end()) {
    bool committed = true;
    try {
      h5dat::Commit(found->second, fd);
    } catch (const std::exception&) {
      committed = false;
    }
    Tracked().erase(found);
    lock.unlock();
    int closed = __real_close(fd);
    if (!committed) {
      errno = EIO;
      return -1;
    }
    return closed;
  }
  lock.unlock();
  return __real_close(fd);
}
