#pragma once
// Copying a whole HDF5 file into a group of another, keeping its meaning: what the copy's later
// steps (tree_copy.cc, vlen_fill_copy.cc, reference_remap.cc, link_order.cc) share.
#include <hdf5.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace h5dat {

struct CopiedTree;

// Copies the root of `sourceFile` (its tree, its root attributes) to `name` in `destination`,
// so that the copy means what the source meant. H5Ocopy does most of it; the rest is done after
// it (see tree_copy.cc). `policy` carries sourceDirectory, inputDirectory and keepOutside (see
// CopiedTree); its notes are filled. Fails with an H5Failure; the caller removes a half-made
// copy. Lock held.
void CopyFileTree(hid_t sourceFile, hid_t destination, const std::string& name, const std::string& where, CopiedTree& policy);

// One object of the source, each once (H5Ovisit's order and first path).
struct SourceObject {
  haddr_t address;
  std::string path;  // relative to the source root, "" for the root itself
  H5O_type_t type;
};

// A link in the copy to be made again: a soft link to `softTarget`, or a hard link to `object`.
struct LinkReplacement {
  std::string name;
  std::string softTarget;
  hid_t object = H5I_INVALID_HID;
};

// An external link of the source: its path, and the file and object it names.
struct ExternalLink {
  std::string path, file, object;
};

// The source tree as the later steps need it, and the copy it was copied to.
struct CopiedTree {
  hid_t source = H5I_INVALID_HID;       // the source file
  hid_t destination = H5I_INVALID_HID;  // the copy of its root group
  std::string prefix;                   // the copy's absolute path, for soft link targets and messages
  std::vector<SourceObject> objects;
  std::unordered_map<haddr_t, std::string> pathOf;                 // object address → its first path
  std::unordered_map<haddr_t, std::vector<std::string>> linksTo;  // object address → every hard link
  std::vector<std::pair<std::string, std::string>> softLinks;     // path → target, as in the source
  std::vector<ExternalLink> externalLinks;
  // Source addresses of datasets made again (their copies by H5Ocopy are gone): references to
  // them must be made anew even where H5Ocopy had remapped them.
  std::unordered_set<haddr_t> remade;
  // Where storage outside the source file may be read from (external_copy.cc): relative names
  // resolve against `sourceDirectory` (empty for a file read from memory), and only files inside
  // `inputDirectory` (a real path; empty: none) are read. `keepOutside` keeps it all as it is.
  std::string sourceDirectory;
  std::string inputDirectory;
  bool keepOutside = false;
  // Source addresses of datasets whose values were outside the source file: made again in the
  // copy (with the values, or fill values only); no later step reads the source's.
  std::unordered_set<haddr_t> outside;
  // What was done with storage outside the source file, one line each, for the caller to report.
  std::vector<std::string> notes;
  // Links to replace once the copy is complete, by the group (relative path) they are in.
  std::map<std::string, std::vector<LinkReplacement>> replacements;

  // A source path as a name relative to `destination` ("." for the root).
  static std::string Relative(const std::string& path) { return path.empty() ? "." : path; }
  // A source path as an absolute path in the destination file.
  std::string Absolute(const std::string& path) const { return path.empty() ? prefix : prefix + "/" + path; }
};

// Values read with `type` into `space`'s shape; what HDF5 allocated for their variable-length
// parts is reclaimed with the buffer, once a read filled it.
class ValueBuffer {
 public:
  ValueBuffer(hid_t type, hid_t space, size_t bytes) : type_(type), space_(space), bytes_(bytes, 0) {}
  ~ValueBuffer() {
    if (filled_) H5Treclaim(type_, space_, H5P_DEFAULT, bytes_.data());
  }
  ValueBuffer(const ValueBuffer&) = delete;
  ValueBuffer& operator=(const ValueBuffer&) = delete;
  uint8_t* data() { return bytes_.data(); }
  void Filled() { filled_ = true; }

 private:
  hid_t type_, space_;
  std::vector<uint8_t> bytes_;
  bool filled_ = false;
};

// Calls `block` for the values of a dataset with dataspace `space`, a block of leading-dimension
// rows (about 16 MiB of `elementSize`-byte values) at a time: with the memory dataspace, the
// selection in `space` and the number of values. A scalar is one block; nothing for no values.
void ForEachBlock(hid_t space, size_t elementSize, const std::string& where,
                  const std::function<void(hid_t memory, hid_t selection, size_t values)>& block);

// The object address behind an HDF5 object token (old-style references hold addresses).
haddr_t AddressOf(hid_t loc, const H5O_token_t& token);
// The address of an open object (a committed datatype too).
haddr_t AddressOfObject(hid_t object, const std::string& where);

// Whether values of `type` hold variable-length data (sequences or strings) anywhere.
bool HasVariableLength(hid_t type);

// Refuses a source whose datasets' raw data lies past its end (a corrupt file H5Ocopy would
// crash on) with an H5Failure.
void CheckStorageInFile(const CopiedTree& tree);

// Makes again, in the copy, each dataset whose fill value H5Ocopy carries over unconverted
// (variable-length types: the fill's global-heap id still names the source file's heap).
void RemakeVariableLengthFillDatasets(CopiedTree& tree);

// Makes again, in the copy, each dataset whose values lie outside the source file (external raw
// data, virtual datasets): with its values when they are inside the input, else with fill values
// only; and deletes external links. Each becomes a note.
void ContainOutsideStorage(CopiedTree& tree);

// Deletes the copy's external links, with a note each (after the links were replaced).
void DropExternalLinks(CopiedTree& tree);

// Copies every attribute of `from` to `to` (creation order kept where tracked).
void CopyAttributes(hid_t from, hid_t to, const std::string& where);

// The type to make a dataset again with: the copy of its committed type when it has one. Caller closes.
hid_t CreationType(const CopiedTree& tree, hid_t type, const std::string& where);

// Points every hard link to `object`'s copy at `made` (once the copy is complete), and marks it
// made again.
void AdoptRemade(CopiedTree& tree, const SourceObject& object, hid_t made, const std::string& where);

// Points every reference in the copy's datasets and attributes at the copied objects.
void RemapReferences(CopiedTree& tree);

// Replaces links of `group`, keeping the group's link creation order when it tracks one
// (NetCDF-4 lists variables in that order). Lock held.
void ReplaceLinks(hid_t group, const std::string& where, const std::vector<LinkReplacement>& replacements);

}  // namespace h5dat
