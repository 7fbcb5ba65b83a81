#pragma once
// What the addon asks of the operating system and that POSIX and Windows spell differently:
// positional reads, descriptors children must not inherit, memory size, absolute paths. One
// place, so that the rest of binding/ stays free of #ifdef _WIN32 (the Windows side is built
// with MinGW-w64, whose CRT gives int descriptors over HANDLEs).
#include <cstddef>
#include <cstdint>
#include <string>

struct archive;

namespace h5dat::platform {

// pread: bytes read at `offset` without moving the descriptor's position (0 at the end of the
// file), or -1 with errno set. Safe from several threads on one descriptor.
int64_t ReadAt(int fd, void* into, size_t size, uint64_t offset);

// A read-only descriptor on `path` (UTF-8) that child processes do not inherit; -1 and errno
// on failure. Close it with CloseFile.
int OpenForReading(const std::string& path);
int CloseFile(int fd);

// Keeps a descriptor opened by a library (HDF5) from being inherited by child processes started
// later (decoding workers, ffmpeg): they would hold the file, and on POSIX its lock, open.
void CloseOnExec(int fd);

// The machine's physical memory in bytes (SIZE_MAX when unknown).
size_t PhysicalMemory();

// The absolute path of an existing `path` with links resolved; empty when it does not exist.
std::string RealPath(const std::string& path);

// archive_read_open_filename for a UTF-8 path: on Windows libarchive's narrow form takes the ANSI
// code page, so the path goes to its UTF-16 form instead. libarchive's status (ARCHIVE_OK...).
int OpenArchiveFile(struct archive* reader, const std::string& path, size_t blockSize);

// This thread in a UTF-8 C locale while the object lives, the process's locale untouched
// (libarchive names entries in the thread's charset). Nothing on Windows: libarchive reads
// names there as UTF-16, which converts to UTF-8 in any locale.
class Utf8Locale {
 public:
  Utf8Locale();
  ~Utf8Locale();
  Utf8Locale(const Utf8Locale&) = delete;
  Utf8Locale& operator=(const Utf8Locale&) = delete;

 private:
  void* previous_ = nullptr;  // a locale_t on POSIX
};

}  // namespace h5dat::platform
