// Storage outside a copied file. H5Ocopy keeps a dataset's external raw data (H5Pset_external),
// a virtual dataset's source mappings and external links as the names they are, so a copy would
// read whatever files those names reach on the host that reads it (/etc/passwd, say). A convert
// input is anyone's file, so after the copy:
// - a dataset whose values are in files inside the input (`inputDirectory`; relative names from
//   the source file's own directory) is made again with those values, read here;
// - any other is made again with fill values only, its attr `h5dat_not_copied` saying why;
// - external links are deleted.
// Each is a note the caller reports (the entry's manifest row).
#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "copy/tree_copy.h"
#include "core/h5_failure.h"
#include "core/job.h"
#include "core/scoped_id.h"
#include "hdf5/external_access.h"
#include "platform/platform.h"

namespace h5dat {
namespace {

using DatasetId = ScopedId<H5Dclose>;

constexpr char kNotCopiedAttr[] = "h5dat_not_copied";
// A virtual dataset is made again only when its values are mostly its sources' (not a 2^40
// element extent of fill values around a small source).
constexpr hsize_t kFillSlackBytes = 64 << 20;

// A name a file gives, resolved: a regular file inside the input, or why not.
struct Resolved {
  std::string path;
  std::string reason;
};

Resolved Resolve(const CopiedTree& tree, const std::string& name) {
  std::string joined;
  if (!name.empty() && name[0] == '/') {
    joined = name;
  } else if (tree.sourceDirectory.empty()) {
    return {"", "is outside the input (the HDF5 file was read from an archive, where a name reaches no file)"};
  } else {
    joined = tree.sourceDirectory + "/" + name;
  }
  if (tree.inputDirectory.empty()) return {"", "is outside the input"};
  const std::string path = platform::RealPath(joined);
  if (path.empty()) {
    return {"", name[0] == '/' || name.find("..") != std::string::npos ? "is outside the input" : "does not exist in the input"};
  }
  const std::string& root = tree.inputDirectory;
  bool inside = root == "/" || (path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/');
  if (!inside) return {"", "is outside the input"};
  struct stat info;
  if (stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return {"", "is not a regular file"};
  return {path, ""};
}

bool HasReferences(hid_t type) { return H5Tdetect_class(type, H5T_REFERENCE) > 0; }

// A fixed-size dataspace of `space`'s current extent (contiguous storage cannot grow).
hid_t FixedSpace(hid_t space, const std::string& where) {
  H5S_class_t shape = H5Sget_simple_extent_type(space);
  if (shape != H5S_SIMPLE) return Check(H5Screate(shape), "cannot create dataspace", where);
  int rank = Check(H5Sget_simple_extent_ndims(space), "cannot get rank", where);
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return Check(H5Screate_simple(rank, dims.data(), nullptr), "cannot create dataspace", where);
}

// Contiguous creation properties with the source's fill value and attribute order.
hid_t CreationList(hid_t source, hid_t type, const std::string& where) {
  PlistId dcpl(Check(H5Pcreate(H5P_DATASET_CREATE), "cannot create dataset creation list", where));
  H5D_fill_value_t defined;
  Check(H5Pfill_value_defined(source, &defined), "cannot get fill value", where);
  if (defined == H5D_FILL_VALUE_USER_DEFINED && !HasVariableLength(type)) {
    std::vector<uint8_t> fill(H5Tget_size(type), 0);
    Check(H5Pget_fill_value(source, type, fill.data()), "cannot get fill value", where);
    Check(H5Pset_fill_value(dcpl.get(), type, fill.data()), "cannot set fill value", where);
  }
  unsigned order = 0;
  Check(H5Pget_attr_creation_order(source, &order), "cannot get attribute order", where);
  if (order) Check(H5Pset_attr_creation_order(dcpl.get(), order), "cannot set attribute order", where);
  return dcpl.release();
}

// External raw data as one stream of bytes: its files' slots in order, zeros past a file's end
// (as HDF5 reads them).
class RawStream {
 public:
  struct Slot {
    std::string path;
    off_t offset;
    hsize_t size;
  };
  explicit RawStream(std::vector<Slot> slots) : slots_(std::move(slots)) {}
  ~RawStream() { CloseSlot(); }
  RawStream(const RawStream&) = delete;
  RawStream& operator=(const RawStream&) = delete;

  // The bytes the files hold for the slots (what is worth reading).
  hsize_t Available() const {
    hsize_t total = 0;
    for (const Slot& slot : slots_) {
      struct stat info;
      if (stat(slot.path.c_str(), &info) != 0 || info.st_size <= slot.offset) continue;
      total += std::min<hsize_t>(slot.size, static_cast<hsize_t>(info.st_size - slot.offset));
    }
    return total;
  }

  void Read(uint8_t* out, size_t bytes, const std::string& where) {
    while (bytes > 0) {
      if (slot_ >= slots_.size()) {
        std::memset(out, 0, bytes);
        return;
      }
      const Slot& slot = slots_[slot_];
      if (fd_ < 0) {
        fd_ = platform::OpenForReading(slot.path);
        if (fd_ < 0) FailUsage("cannot open external raw data file '" + slot.path + "': " + std::strerror(errno), where);
      }
      size_t take = static_cast<size_t>(std::min<hsize_t>(bytes, slot.size - used_));
      size_t got = 0;
      while (got < take) {
        int64_t n = platform::ReadAt(fd_, out + got, take - got, static_cast<uint64_t>(slot.offset) + used_ + got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) FailUsage("cannot read external raw data file '" + slot.path + "': " + std::strerror(errno), where);
        if (n == 0) break;
        got += static_cast<size_t>(n);
      }
      std::memset(out + got, 0, take - got);
      out += take;
      bytes -= take;
      used_ += take;
      if (used_ == slot.size) {
        CloseSlot();
        slot_++;
        used_ = 0;
      }
    }
  }

 private:
  void CloseSlot() {
    if (fd_ >= 0) platform::CloseFile(fd_);
    fd_ = -1;
  }
  std::vector<Slot> slots_;
  size_t slot_ = 0;
  hsize_t used_ = 0;
  int fd_ = -1;
};

herr_t RefuseExternalLink(const char*, const char*, const char*, const char*, unsigned*, hid_t, void*) { return -1; }

class Container {
 public:
  explicit Container(CopiedTree& tree) : tree_(tree) {}

  void Dataset(const SourceObject& object) {
    std::string where = tree_.Absolute(object.path);
    std::string relative = CopiedTree::Relative(object.path);
    DatasetId source(Check(H5Dopen2(tree_.source, relative.c_str(), H5P_DEFAULT), "cannot open source dataset", where));
    PlistId dcpl(Check(H5Dget_create_plist(source.get()), "cannot get creation properties", where));
    OutsideStorage storage = OutsideStorageOf(dcpl.get(), where);
    if (storage.kind == OutsideStorage::Kind::None) return;
    TypeId type(Check(H5Dget_type(source.get()), "cannot get datatype", where));
    std::string reason = storage.kind == OutsideStorage::Kind::Raw ? RawReason(dcpl.get(), type.get(), storage)
                                                                      : VirtualReason(dcpl.get(), type.get(), storage);
    tree_.outside.insert(object.address);
    if (reason.empty()) {
      Remake(object, source.get(), dcpl.get(), type.get(), storage, "");
      tree_.notes.push_back(where + ": " + storage.Describe() + " copied from the input");
    } else {
      Remake(object, source.get(), dcpl.get(), type.get(), storage, reason + ": not copied");
      tree_.notes.push_back(where + ": " + reason + ": not copied (fill values stand in, attr " + kNotCopiedAttr + ")");
    }
  }

 private:
  // Why external raw data cannot be copied from the input ("" when it can); the slots to read.
  std::string RawReason(hid_t dcpl, hid_t type, const OutsideStorage& storage) {
    slots_.clear();
    for (size_t i = 0; i < storage.files.size(); i++) {
      Resolved resolved = Resolve(tree_, storage.files[i]);
      if (!resolved.reason.empty()) return "external raw data '" + storage.files[i] + "' " + resolved.reason;
      std::vector<char> name(4097, 0);
      off_t offset;
      hsize_t size;
      Check(H5Pget_external(dcpl, static_cast<unsigned>(i), name.size() - 1, name.data(), &offset, &size), "cannot get external storage", "");
      slots_.push_back({resolved.path, offset, size});
    }
    if (HasVariableLength(type) || HasReferences(type)) {
      return "external raw data " + Quoted(storage.files) + " holds variable-length values or references, which name places in its file";
    }
    return "";
  }

  // Why a virtual dataset cannot be copied from the input ("" when it can).
  std::string VirtualReason(hid_t dcpl, hid_t type, const OutsideStorage& storage) {
    bool own = std::all_of(storage.files.begin(), storage.files.end(), [](const std::string& f) { return f == "."; });
    if (!own && std::getenv("HDF5_VDS_PREFIX") != nullptr) {
      return "virtual dataset sources " + Quoted(storage.files) + " are not read while HDF5_VDS_PREFIX is set (it redirects them)";
    }
    if (HasVariableLength(type) || HasReferences(type)) return "virtual dataset of variable-length values or references";
    hsize_t mapped = 0;
    for (size_t i = 0; i < storage.files.size(); i++) {
      const std::string& file = storage.files[i];
      const std::string& dataset = storage.datasets[i];
      std::string named = "virtual dataset source '" + file + ":" + dataset + "'";
      if (file.find('%') != std::string::npos || dataset.find('%') != std::string::npos) return named + " is a pattern of names";
      SpaceId vspace(Check(H5Pget_virtual_vspace(dcpl, i), "cannot get virtual mapping", ""));
      hssize_t points = H5Sget_select_npoints(vspace.get());
      if (points < 0 || H5Sget_select_type(vspace.get()) == H5S_SEL_ERROR) return named + " has an unlimited mapping";
      mapped += static_cast<hsize_t>(points) * H5Tget_size(type);
      std::string check = file == "." ? SourceIsOwn(tree_.source, dataset) : SourceInInput(file, dataset);
      if (!check.empty()) return named + " " + check;
    }
    if (storage.files.empty()) return "";
    SpaceId vspace(Check(H5Pget_virtual_vspace(dcpl, 0), "cannot get virtual mapping", ""));
    hssize_t total = H5Sget_simple_extent_npoints(vspace.get());
    if (total < 0 || static_cast<hsize_t>(total) * H5Tget_size(type) > mapped + kFillSlackBytes) {
      return "virtual dataset " + Quoted(storage.files) + " is mostly fill values around its sources";
    }
    return "";
  }

  std::string SourceInInput(const std::string& file, const std::string& dataset) {
    Resolved resolved = Resolve(tree_, file);
    if (!resolved.reason.empty()) return resolved.reason;
    FileId opened(H5Fopen(resolved.path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    if (opened.get() < 0) {
      H5Eclear2(H5E_DEFAULT);
      return "is not an HDF5 file";
    }
    return SourceIsOwn(opened.get(), dataset);
  }

  // Whether `dataset` in `file` holds its values itself (no external links on its path).
  std::string SourceIsOwn(hid_t file, const std::string& dataset) {
    // A dataset access list is a link access list too: its callback refuses external links.
    PlistId dapl(Check(H5Pcreate(H5P_DATASET_ACCESS), "cannot create dataset access list", ""));
    Check(H5Pset_elink_cb(dapl.get(), RefuseExternalLink, nullptr), "cannot set external link callback", "");
    DatasetId source(H5Dopen2(file, dataset.c_str(), dapl.get()));
    if (source.get() < 0) {
      H5Eclear2(H5E_DEFAULT);
      return "cannot be opened (missing, or behind an external link)";
    }
    PlistId dcpl(Check(H5Dget_create_plist(source.get()), "cannot get creation properties", dataset));
    if (OutsideStorageOf(dcpl.get(), dataset).kind != OutsideStorage::Kind::None) return "stores its own values outside its file";
    return "";
  }

  // Makes the dataset again, contiguous: with the values (from slots_ or the virtual sources),
  // or with fill values only and `reason` as its attr.
  void Remake(const SourceObject& object, hid_t source, hid_t dcpl, hid_t type, const OutsideStorage& storage, const std::string& reason) {
    std::string where = tree_.Absolute(object.path);
    bool virtualValues = reason.empty() && storage.kind == OutsideStorage::Kind::Virtual;
    DatasetId reader(virtualValues ? OpenVirtual(object, where) : H5I_INVALID_HID);
    SpaceId extent(Extent(reader.get(), source, dcpl, storage, where));
    SpaceId space(FixedSpace(extent.get(), where));
    TypeId creationType(CreationType(tree_, type, where));
    PlistId creation(CreationList(dcpl, type, where));
    DatasetId made(Check(H5Dcreate_anon(tree_.destination, creationType.get(), space.get(), creation.get(), H5P_DEFAULT),
                         "cannot make the dataset again", where));
    if (reason.empty()) {
      if (virtualValues) CopyVirtual(reader.get(), made.get(), type, space.get(), where);
      else CopyRaw(made.get(), type, space.get(), where);
    }
    {
      DatasetId copied(Check(H5Dopen2(tree_.destination, CopiedTree::Relative(object.path).c_str(), H5P_DEFAULT), "cannot open copied dataset", where));
      CopyAttributes(copied.get(), made.get(), where);
    }
    if (!reason.empty()) WriteReason(made.get(), reason, where);
    AdoptRemade(tree_, object, made.get(), where);
  }

  // The virtual dataset opened to read its values: relative source names resolve from the
  // source file's directory (checked in VirtualReason).
  hid_t OpenVirtual(const SourceObject& object, const std::string& where) {
    PlistId dapl(Check(H5Pcreate(H5P_DATASET_ACCESS), "cannot create dataset access list", where));
    if (!tree_.sourceDirectory.empty()) Check(H5Pset_virtual_prefix(dapl.get(), tree_.sourceDirectory.c_str()), "cannot set virtual prefix", where);
    return Check(H5Dopen2(tree_.source, CopiedTree::Relative(object.path).c_str(), dapl.get()), "cannot open virtual dataset", where);
  }

  // The extent to make the dataset with. A virtual one not read keeps its mapping's extent:
  // H5Dget_space would open the sources to refresh an unlimited one.
  hid_t Extent(hid_t reader, hid_t source, hid_t dcpl, const OutsideStorage& storage, const std::string& where) {
    if (reader >= 0) return Check(H5Dget_space(reader), "cannot get dataspace", where);
    if (storage.kind == OutsideStorage::Kind::Virtual && !storage.files.empty()) {
      return Check(H5Pget_virtual_vspace(dcpl, 0), "cannot get virtual mapping", where);
    }
    return Check(H5Dget_space(source), "cannot get dataspace", where);
  }

  void CopyRaw(hid_t made, hid_t type, hid_t space, const std::string& where) {
    RawStream stream(slots_);
    hsize_t available = stream.Available();
    hsize_t written = 0;
    size_t size = H5Tget_size(type);
    ForEachBlock(space, size, where, [&](hid_t memory, hid_t selection, size_t count) {
      if (written >= available) return;  // the rest reads as zeros from the files: fill here
      std::vector<uint8_t> bytes(count * size);
      stream.Read(bytes.data(), bytes.size(), where);
      Check(H5Dwrite(made, type, memory, selection, H5P_DEFAULT, bytes.data()), "cannot write", where);
      written += bytes.size();
    });
  }

  void CopyVirtual(hid_t reader, hid_t made, hid_t type, hid_t space, const std::string& where) {
    size_t size = H5Tget_size(type);
    ForEachBlock(space, size, where, [&](hid_t memory, hid_t selection, size_t count) {
      std::vector<uint8_t> bytes(count * size);
      Check(H5Dread(reader, type, memory, selection, H5P_DEFAULT, bytes.data()), "cannot read virtual dataset", where);
      Check(H5Dwrite(made, type, memory, selection, H5P_DEFAULT, bytes.data()), "cannot write", where);
    });
  }

  // A variable-length UTF-8 string, as h5py writes a str (it reads back as one).
  static void WriteReason(hid_t dataset, const std::string& reason, const std::string& where) {
    TypeId type(Check(H5Tcopy(H5T_C_S1), "cannot make string type", where));
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    SpaceId scalar(Check(H5Screate(H5S_SCALAR), "cannot create dataspace", where));
    if (H5Aexists(dataset, kNotCopiedAttr) > 0) H5Adelete(dataset, kNotCopiedAttr);  // a source's own attr gives way
    H5Eclear2(H5E_DEFAULT);
    AttrId attr(Check(H5Acreate2(dataset, kNotCopiedAttr, type.get(), scalar.get(), H5P_DEFAULT, H5P_DEFAULT), "cannot write attr", where));
    const char* text = reason.c_str();
    Check(H5Awrite(attr.get(), type.get(), &text), "cannot write attr", where);
  }

  static std::string Quoted(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) text += (text.empty() ? "'" : ", '") + name + "'";
    return text;
  }

  CopiedTree& tree_;
  std::vector<RawStream::Slot> slots_;
};

}  // namespace

void ContainOutsideStorage(CopiedTree& tree) {
  Container container(tree);
  for (const SourceObject& object : tree.objects) {
    if (object.type == H5O_TYPE_DATASET) container.Dataset(object);
  }
}

void DropExternalLinks(CopiedTree& tree) {
  for (const ExternalLink& link : tree.externalLinks) {
    std::string where = tree.Absolute(link.path);
    Check(H5Ldelete(tree.destination, link.path.c_str(), H5P_DEFAULT), "cannot delete external link", where);
    Resolved resolved = Resolve(tree, link.file);
    std::string target = "'" + link.file + ":" + link.object + "'";
    tree.notes.push_back(where + ": external link to " + target +
                         (resolved.reason.empty() ? " is not copied: the output cannot name the input's files (convert the file it names as an entry of its own)"
                                                  : " " + resolved.reason + ": not copied"));
  }
}

}  // namespace h5dat
