#pragma once
// Crash-consistent HDF5 files ("checkpoints"): the bytes a file held at its last checkpoint are
// never overwritten in place until the next checkpoint is complete.
//
// HDF5 writes through pwrite/pread/ftruncate/close, which the addon's link wraps (CMakeLists.txt,
// -Wl,--wrap): for a tracked file, a write below the file's size at the last checkpoint is held
// in memory (reads see it), a write beyond goes to the file, where nothing of the checkpoint
// refers to it. A checkpoint (Commit) writes the held bytes first to <file>.journal, ending with
// a checksummed commit record, then into the file, then removes the journal. So after a crash
// (kill -9, OOM, segfault) the file is its last checkpoint plus unreferenced bytes at the end —
// HDF5 and h5py open it — or, when the crash came in the middle of applying a commit, a complete
// journal that Recover (run before every open) finishes. Each step is fsync'd before the next
// (the file's new bytes, the journal and its directory entry, the applied writes), so a power
// loss leaves the same: the last checkpoint, or a complete journal that finishes the next.
#include <string>

namespace h5dat {

// Finishes a commit a crash interrupted (applies a complete journal), or drops an incomplete
// journal; nothing when there is none. Throws std::runtime_error naming the file on failure.
void RecoverJournal(const std::string& path);

// From now on, the file open as `fd` keeps its current bytes until the next CommitJournal.
void TrackJournal(int fd, const std::string& path);

// A checkpoint: puts the held writes into the file (through the journal). Call after H5Fflush.
// Throws std::runtime_error naming the file on failure.
void CommitJournal(int fd);

}  // namespace h5dat
