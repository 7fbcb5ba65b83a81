// The POSIX and Windows sides of platform.h. Windows: positional reads go through the CRT
// descriptor's HANDLE with an OVERLAPPED offset (the same thread-safety as pread), paths are
// UTF-8 converted to UTF-16 for the wide CRT calls.
#include "platform/platform.h"

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>

#include <archive.h>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>
#else
#include <fcntl.h>
#include <locale.h>
#include <unistd.h>
#endif

namespace h5dat::platform {

#ifdef _WIN32

namespace {
std::wstring Wide(const std::string& text) {
  int length = MultiByteToWideChar(CP_UTF8, 0, text.c_str(), -1, nullptr, 0);
  if (length <= 0) return std::wstring();
  std::wstring wide(static_cast<size_t>(length), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.c_str(), -1, wide.data(), length);
  wide.resize(static_cast<size_t>(length - 1));
  return wide;
}

std::string Utf8(const wchar_t* text) {
  int length = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
  if (length <= 0) return std::string();
  std::string narrow(static_cast<size_t>(length), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text, -1, narrow.data(), length, nullptr, nullptr);
  narrow.resize(static_cast<size_t>(length - 1));
  return narrow;
}
}  // namespace

int64_t ReadAt(int fd, void* into, size_t size, uint64_t offset) {
  HANDLE file = reinterpret_cast<HANDLE>(_get_osfhandle(fd));
  if (file == INVALID_HANDLE_VALUE) {
    errno = EBADF;
    return -1;
  }
  OVERLAPPED at = {};
  at.Offset = static_cast<DWORD>(offset & 0xffffffffu);
  at.OffsetHigh = static_cast<DWORD>(offset >> 32);
  DWORD got = 0;
  DWORD want = size > 0x40000000u ? 0x40000000u : static_cast<DWORD>(size);
  if (ReadFile(file, into, want, &got, &at)) return got;
  if (GetLastError() == ERROR_HANDLE_EOF) return 0;
  errno = EIO;
  return -1;
}

int OpenForReading(const std::string& path) {
  return _wopen(Wide(path).c_str(), _O_RDONLY | _O_BINARY | _O_NOINHERIT);
}

int CloseFile(int fd) { return _close(fd); }

int OpenArchiveFile(struct archive* reader, const std::string& path, size_t blockSize) {
  return archive_read_open_filename_w(reader, Wide(path).c_str(), blockSize);
}

void CloseOnExec(int fd) {
  HANDLE file = reinterpret_cast<HANDLE>(_get_osfhandle(fd));
  if (file != INVALID_HANDLE_VALUE) SetHandleInformation(file, HANDLE_FLAG_INHERIT, 0);
}

size_t PhysicalMemory() {
  MEMORYSTATUSEX status = {};
  status.dwLength = sizeof status;
  return GlobalMemoryStatusEx(&status) ? static_cast<size_t>(status.ullTotalPhys) : SIZE_MAX;
}

Utf8Locale::Utf8Locale() {}
Utf8Locale::~Utf8Locale() {}

std::string RealPath(const std::string& path) {
  wchar_t* full = _wfullpath(nullptr, Wide(path).c_str(), 0);
  if (!full) return std::string();
  std::string resolved = GetFileAttributesW(full) == INVALID_FILE_ATTRIBUTES ? std::string() : Utf8(full);
  std::free(full);
  return resolved;
}

#else

int64_t ReadAt(int fd, void* into, size_t size, uint64_t offset) {
  return pread(fd, into, size, static_cast<off_t>(offset));
}

int OpenForReading(const std::string& path) { return open(path.c_str(), O_RDONLY | O_CLOEXEC); }

int CloseFile(int fd) { return close(fd); }

int OpenArchiveFile(struct archive* reader, const std::string& path, size_t blockSize) {
  return archive_read_open_filename(reader, path.c_str(), blockSize);
}

void CloseOnExec(int fd) {
  int flags = fcntl(fd, F_GETFD);
  if (flags >= 0) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

size_t PhysicalMemory() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long pageSize = sysconf(_SC_PAGESIZE);
  return pages > 0 && pageSize > 0 ? static_cast<size_t>(pages) * static_cast<size_t>(pageSize) : SIZE_MAX;
}

std::string RealPath(const std::string& path) {
  char* resolved = realpath(path.c_str(), nullptr);
  if (!resolved) return std::string();
  std::string result = resolved;
  std::free(resolved);
  return result;
}

Utf8Locale::Utf8Locale() {
  static locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  if (utf8) previous_ = uselocale(utf8);
}

Utf8Locale::~Utf8Locale() {
  if (previous_) uselocale(static_cast<locale_t>(previous_));
}

#endif

}  // namespace h5dat::platform
