#pragma once
// Storage outside a file: external raw data (H5Pset_external), virtual dataset sources and
// external links name files anywhere on the host, and HDF5 reads them as part of the file. A file
// h5dat reads may be anyone's, so they are followed only for files opened with
// { external: "follow" } (CLI --follow-external); otherwise a read that would reach one fails,
// naming the dataset or link and the file it names.
#include <hdf5.h>

#include <string>
#include <vector>

#include "core/file_state.h"
#include "core/scoped_id.h"

namespace h5dat {

// Where a dataset's values are stored when not in its own file.
struct OutsideStorage {
  enum class Kind { None, Raw, Virtual } kind = Kind::None;
  // Raw: the external files in order; Virtual: each mapping's source file ("." is the same file).
  std::vector<std::string> files;
  std::vector<std::string> datasets;  // Virtual: each mapping's source dataset
  // Describes the storage as "external raw data 'a', 'b'" or "virtual dataset sources 'f:/d'".
  std::string Describe() const;
};

// The outside storage of a dataset with creation properties `dcpl`. Lock held.
OutsideStorage OutsideStorageOf(hid_t dcpl, const std::string& where);

// The message that tells how to follow anyway.
extern const char kFollowHint[];

// Fails (an H5Failure naming `where` and the files) when the dataset's values lie outside its
// file and `file` was not opened to follow them, or, when it was, when a virtual dataset's
// source files are missing (HDF5 would read fill values). Lock held.
void RequireOwnStorage(hid_t dataset, const FileState& file, const std::string& where);

// A link access list for opening paths in `file`: H5P_DEFAULT when it follows external links,
// else one whose external-link callback refuses the traversal and remembers what it refused.
class ExternalLinkGuard {
 public:
  explicit ExternalLinkGuard(const FileState& file);
  ExternalLinkGuard(const ExternalLinkGuard&) = delete;
  ExternalLinkGuard& operator=(const ExternalLinkGuard&) = delete;
  hid_t lapl() const { return lapl_.get() >= 0 ? lapl_.get() : H5P_DEFAULT; }
  // Whether a traversal was refused since the guard was made.
  bool Refused() const { return !refusedFile_.empty(); }
  // Fails with the refused link's target, at `where`.
  [[noreturn]] void FailRefused(const std::string& where) const;
  // Fails unless `found`: with the refused link's target when the lookup was refused, else with
  // `missing` ("no such object") at `where`.
  void RequireFound(bool found, const char* missing, const std::string& where) const;

 private:
  static herr_t Refuse(const char* parentFile, const char* parentGroup, const char* childFile, const char* childObject,
                       unsigned* flags, hid_t fapl, void* guard);
  PlistId lapl_;
  std::string refusedFile_, refusedObject_;
};

}  // namespace h5dat
