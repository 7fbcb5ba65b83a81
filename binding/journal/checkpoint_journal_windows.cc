// Checkpoints on Windows are plain flushes (checkpoint_journal.h's interface, no journal).
// The journal holds back HDF5's writes by wrapping pwrite/pread/ftruncate/close at link time
// (-Wl,--wrap), and HDF5's Windows build writes through _lseeki64 + _write instead, which no
// link option intercepts without wrapping every CRT write of the process. A crash during a
// flush can therefore leave a file HDF5 cannot open; `convert --resume` then starts that
// output over (docs/platforms.md, win32-x64).
#include "journal/checkpoint_journal.h"

namespace h5dat {

// A journal left by a POSIX build is not applied here (none is ever written on Windows).
void RecoverJournal(const std::string&) {}

void TrackJournal(int, const std::string&) {}

void CommitJournal(int) {}

}  // namespace h5dat
