/* ProcessPrng, the one export of Windows 10's bcryptprimitives.dll that sharp's libvips-42.dll
 * imports (Rust's std draws its random bytes from it). wine 8.0 (Debian 12) has no such DLL, so
 * sharp cannot load under it: scripts/test-cross.sh builds this stand-in next to the test's
 * node.exe, where Windows looks for a program's DLLs first. Test set-up only, never shipped. */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  while (length > 0) {
    ULONG part = length > 0x40000000 ? 0x40000000 : (ULONG)length;
    if (BCryptGenRandom(NULL, data, part, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
    data += part;
    length -= part;
  }
  return TRUE;
}
