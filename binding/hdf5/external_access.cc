// The reader's side of storage outside a file (external_access.h): reads that would reach
// another file are refused unless the file was opened to follow them.
#include "hdf5/external_access.h"

#include "core/h5_failure.h"
#include "hdf5/virtual_source_files.h"

namespace h5dat {

const char kFollowHint[] =
    "it may name any file on this host: open the file with { external: \"follow\" } (CLI: --follow-external) to read it";

std::string OutsideStorage::Describe() const {
  std::string text = kind == Kind::Raw ? "external raw data " : "virtual dataset sources ";
  for (size_t i = 0; i < files.size(); i++) {
    if (i > 0) text += ", ";
    if (i == 8) return text + "… (" + std::to_string(files.size()) + " in all)";
    text += "'" + files[i] + (kind == Kind::Virtual ? ":" + datasets[i] : "") + "'";
  }
  return text;
}

OutsideStorage OutsideStorageOf(hid_t dcpl, const std::string& where) {
  OutsideStorage storage;
  int external = Check(H5Pget_external_count(dcpl), "cannot get external storage", where);
  if (external > 0) {
    storage.kind = OutsideStorage::Kind::Raw;
    for (int i = 0; i < external; i++) {
      // A name longer than the buffer is cut (H5Pget_external's contract); 4 KiB covers PATH_MAX.
      std::vector<char> name(4097, 0);
      off_t offset;
      hsize_t size;
      Check(H5Pget_external(dcpl, static_cast<unsigned>(i), name.size() - 1, name.data(), &offset, &size),
            "cannot get external storage", where);
      storage.files.push_back(name.data());
    }
    return storage;
  }
  if (H5Pget_layout(dcpl) != H5D_VIRTUAL) return storage;
  storage.kind = OutsideStorage::Kind::Virtual;
  size_t count;
  Check(H5Pget_virtual_count(dcpl, &count), "cannot get virtual mappings", where);
  for (size_t i = 0; i < count; i++) {
    ssize_t fileLength = Check(H5Pget_virtual_filename(dcpl, i, nullptr, 0), "cannot get virtual source", where);
    ssize_t datasetLength = Check(H5Pget_virtual_dsetname(dcpl, i, nullptr, 0), "cannot get virtual source", where);
    std::vector<char> file(static_cast<size_t>(fileLength) + 1, 0), dataset(static_cast<size_t>(datasetLength) + 1, 0);
    H5Pget_virtual_filename(dcpl, i, file.data(), file.size());
    H5Pget_virtual_dsetname(dcpl, i, dataset.data(), dataset.size());
    storage.files.push_back(file.data());
    storage.datasets.push_back(dataset.data());
  }
  return storage;
}

// Fails, naming them, when source files of a virtual dataset are missing: HDF5 would read fill
// values in their place without a word (virtual_source_files.h).
void RequireVirtualSourceFiles(const OutsideStorage& storage, const FileState& file, const std::string& where) {
  std::vector<std::string> missing = MissingSourceFiles(storage.files, file.path, file.openedIn);
  if (missing.empty()) return;
  std::string names;
  for (size_t i = 0; i < missing.size() && i < 8; i++) names += (i ? ", '" : "'") + missing[i] + "'";
  if (missing.size() > 8) names += ", … (" + std::to_string(missing.size()) + " in all)";
  FailUsage("not read: " + std::string(missing.size() == 1 ? "the source file " : "source files ") + names +
                " of this virtual dataset " + (missing.size() == 1 ? "is" : "are") + " missing (looked for beside '" +
                file.path + "' and in the working directory), and HDF5 would read fill values in their place; " +
                "put the files (a merged master's shards) back beside it",
            where);
}

void RequireOwnStorage(hid_t dataset, const FileState& file, const std::string& where) {
  PlistId dcpl(Check(H5Dget_create_plist(dataset), "cannot get creation properties", where));
  OutsideStorage storage = OutsideStorageOf(dcpl.get(), where);
  if (storage.kind == OutsideStorage::Kind::None) return;
  if (file.mode.followExternal) {
    if (storage.kind == OutsideStorage::Kind::Virtual) RequireVirtualSourceFiles(storage, file, where);
    return;
  }
  // A virtual dataset whose every source is in its own file reads nothing else.
  if (storage.kind == OutsideStorage::Kind::Virtual) {
    bool own = true;
    for (const std::string& name : storage.files) own = own && name == ".";
    if (own) return;
  }
  FailUsage("not read: its values are " + storage.Describe() + " outside the file; " + kFollowHint, where);
}

ExternalLinkGuard::ExternalLinkGuard(const FileState& file)
    : lapl_(file.mode.followExternal ? H5I_INVALID_HID : Check(H5Pcreate(H5P_LINK_ACCESS), "cannot create link access list", file.path)) {
  if (file.mode.followExternal) return;
  Check(H5Pset_elink_cb(lapl_.get(), Refuse, this), "cannot set external link callback", file.path);
}

herr_t ExternalLinkGuard::Refuse(const char*, const char*, const char* childFile, const char* childObject, unsigned*, hid_t,
                                 void* guard) {
  auto* self = static_cast<ExternalLinkGuard*>(guard);
  self->refusedFile_ = childFile ? childFile : "";
  self->refusedObject_ = childObject ? childObject : "";
  if (self->refusedFile_.empty()) self->refusedFile_ = "?";
  return -1;
}

void ExternalLinkGuard::FailRefused(const std::string& where) const {
  FailUsage("not followed: an external link to '" + refusedFile_ + ":" + refusedObject_ + "' is on the path; " + kFollowHint,
            where);
}

void ExternalLinkGuard::RequireFound(bool found, const char* missing, const std::string& where) const {
  if (found) return;
  if (Refused()) FailRefused(where);
  FailUsage(missing, where);
}

}  // namespace h5dat
