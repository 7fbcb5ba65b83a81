// Groups and links: create (with intermediate groups), open any object by path, list, test,
// delete, soft/hard/external links, and a walk over the whole tree.
#include <functional>
#include <vector>

#include "copy/tree_copy.h"
#include "core/h5_failure.h"
#include "core/handle.h"
#include "core/job.h"
#include "core/operations.h"
#include "core/scoped_id.h"
#include "hdf5/external_access.h"
#include "hdf5/name_list.h"
#include "hdf5/object_path.h"

namespace h5dat {
namespace {

// What opening or making an object gave: its id and kind.
struct NewObject {
  hid_t id;
  HandleKind kind;
};

struct Opened {
  hid_t id = H5I_INVALID_HID;
  std::string path;
  HandleKind kind = HandleKind::Group;
};

// Makes or opens (`open`, lock held: name, where → id and kind) the object `name` below the
// handle in info[0], and returns a handle on it that its file knows of.
Job OpenedObjectJob(const Napi::CallbackInfo& info,
                    std::function<NewObject(Handle* loc, const std::string& name, const std::string& where)> open) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  std::string name = info[1].ToString().Utf8Value();
  auto opened = std::make_shared<Opened>();
  job.Locked([loc, name, opened, open]() {
    std::string where = JoinPath(loc->Path(), name);
    NewObject object = open(loc, name, where);
    opened->id = object.id;
    opened->kind = object.kind;
    loc->File()->objects.insert(opened->id);
    opened->path = ObjectPath(opened->id, where);
  });
  job.done = [loc, opened](Napi::Env env) {
    return Handle::New(env, opened->id, loc->File(), opened->path, opened->kind);
  };
  return job;
}

Job GroupCreate(const Napi::CallbackInfo& info) {
  return OpenedObjectJob(info, [](Handle* loc, const std::string& name, const std::string& where) {
    PlistId lcpl(LinkCreationList());
    hid_t id = H5Gcreate2(loc->Id(), name.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT);
    return NewObject{Check(id, "cannot create group", where), HandleKind::Group};
  });
}

Job ObjectOpen(const Napi::CallbackInfo& info) {
  return OpenedObjectJob(info, [](Handle* loc, const std::string& name, const std::string& where) {
    ExternalLinkGuard guard(*loc->File());
    guard.RequireFound(PathExists(loc->Id(), name, guard.lapl()), "no such object", where);
    hid_t id = H5Oopen(loc->Id(), name.c_str(), guard.lapl());
    if (id < 0 && guard.Refused()) guard.FailRefused(where);
    Check(id, "cannot open object", where);
    switch (H5Iget_type(id)) {
      case H5I_GROUP: return NewObject{id, HandleKind::Group};
      case H5I_DATASET: return NewObject{id, HandleKind::Dataset};
      case H5I_DATATYPE: return NewObject{id, HandleKind::Datatype};
      default:
        H5Oclose(id);
        FailUsage("not a group, dataset or datatype", where);
    }
  });
}

Job LinkExists(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  std::string name = info[1].ToString().Utf8Value();
  auto exists = std::make_shared<bool>(false);
  // A path through an external link not followed is not there, as a dangling link is not.
  job.Locked([loc, name, exists]() { *exists = PathExists(loc->Id(), name, ExternalLinkGuard(*loc->File()).lapl()); });
  job.done = FlagResult(exists);
  return job;
}

Job LinkList(const Napi::CallbackInfo& info) {
  return NameListJob<H5L_info2_t>(info, H5Literate2, "cannot list group");
}

Job LinkDelete(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  std::string name = info[1].ToString().Utf8Value();
  job.Locked([loc, name]() {
    std::string where = JoinPath(loc->Path(), name);
    if (!LinkPathExists(loc->Id(), name)) FailUsage("no such link", where);
    Check(H5Ldelete(loc->Id(), name.c_str(), H5P_DEFAULT), "cannot delete", where);
  });
  return job;
}

// linkCreate(loc, kind, target, name, targetFile?) with kind soft | hard | external.
Job LinkCreate(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  std::string kind = info[1].ToString().Utf8Value();
  std::string target = info[2].ToString().Utf8Value();
  std::string name = info[3].ToString().Utf8Value();
  std::string targetFile = info[4].IsString() ? info[4].ToString().Utf8Value() : "";
  if (kind != "soft" && kind != "hard" && kind != "external") {
    throw Napi::TypeError::New(info.Env(), "link kind must be soft, hard or external");
  }
  job.Locked([loc, kind, target, name, targetFile]() {
    std::string where = JoinPath(loc->Path(), name);
    PlistId lcpl(LinkCreationList());
    herr_t status;
    if (kind == "soft") {
      status = H5Lcreate_soft(target.c_str(), loc->Id(), name.c_str(), lcpl.get(), H5P_DEFAULT);
    } else if (kind == "hard") {
      status = H5Lcreate_hard(loc->Id(), target.c_str(), loc->Id(), name.c_str(), lcpl.get(), H5P_DEFAULT);
    } else {
      status = H5Lcreate_external(targetFile.c_str(), target.c_str(), loc->Id(), name.c_str(), lcpl.get(), H5P_DEFAULT);
    }
    Check(status, "cannot create link", where);
  });
  return job;
}

// objectCopy(source, sourceName, destination, destinationName): copies an object (a whole group
// tree, a dataset, a named datatype) with its attributes, also between files.
Job ObjectCopy(const Napi::CallbackInfo& info) {
  Handle* source = Handle::From(info[0]);
  std::string sourceName = info[1].ToString().Utf8Value();
  Handle* destination = Handle::From(info[2]);
  std::string destinationName = info[3].ToString().Utf8Value();
  Job job;
  job.pins = {info[0], info[2]};
  job.Locked([source, sourceName, destination, destinationName]() {
    std::string where = JoinPath(destination->Path(), destinationName);
    PlistId lcpl(LinkCreationList());
    Check(H5Ocopy(source->Id(), sourceName.c_str(), destination->Id(), destinationName.c_str(), H5P_DEFAULT, lcpl.get()),
          "cannot copy " + JoinPath(source->Path(), sourceName) + " to", where);
  });
  return job;
}

// fileTreeCopy(sourceFile, destination, destinationName, { external?, inputDirectory? }) → notes:
// copies a whole file (its root group's tree and attributes) to a new group, keeping what it
// means: references point at the copies, absolute soft links into the copy, dimension scales stay
// attached; storage outside the file is kept (external: "keep") or contained (copy/tree_copy.cc).
Job FileTreeCopy(const Napi::CallbackInfo& info) {
  Handle* source = Handle::From(info[0]);
  Handle* destination = Handle::From(info[1]);
  std::string name = info[2].ToString().Utf8Value();
  auto tree = std::make_shared<CopiedTree>();
  if (info[3].IsObject()) {
    Napi::Object options = info[3].As<Napi::Object>();
    Napi::Value external = options.Get("external");
    tree->keepOutside = external.IsString() && external.ToString().Utf8Value() == "keep";
    Napi::Value input = options.Get("inputDirectory");
    if (input.IsString()) tree->inputDirectory = input.ToString().Utf8Value();
  }
  const FileState& sourceFile = *source->File();
  if (!sourceFile.mode.image) {
    size_t slash = sourceFile.path.rfind('/');
    tree->sourceDirectory = slash == std::string::npos ? "." : slash == 0 ? "/" : sourceFile.path.substr(0, slash);
  }
  Job job;
  job.pins = {info[0], info[1]};
  job.Locked([source, destination, name, tree]() {
    CopyFileTree(source->Id(), destination->Id(), name, JoinPath(destination->Path(), name), *tree);
  });
  job.done = [tree](Napi::Env env) -> Napi::Value {
    Napi::Array notes = Napi::Array::New(env, tree->notes.size());
    for (size_t i = 0; i < tree->notes.size(); i++) notes.Set(i, tree->notes[i]);
    return notes;
  };
  return job;
}

struct LinkDescription {
  std::string type, target, file;
};

Job LinkInfo(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  std::string name = info[1].ToString().Utf8Value();
  auto link = std::make_shared<LinkDescription>();
  job.Locked([loc, name, link]() {
    std::string where = JoinPath(loc->Path(), name);
    // The link itself is read, never followed; an external link on the way to it is, if allowed.
    ExternalLinkGuard guard(*loc->File());
    guard.RequireFound(LinkPathExists(loc->Id(), name, guard.lapl()), "no such link", where);
    H5L_info2_t linfo;
    Check(H5Lget_info2(loc->Id(), name.c_str(), &linfo, guard.lapl()), "cannot get link info", where);
    if (linfo.type == H5L_TYPE_HARD) {
      link->type = "hard";
      return;
    }
    std::vector<char> value(linfo.u.val_size + 1, 0);
    Check(H5Lget_val(loc->Id(), name.c_str(), value.data(), value.size(), guard.lapl()), "cannot read link", where);
    if (linfo.type == H5L_TYPE_SOFT) {
      link->type = "soft";
      link->target = value.data();
    } else if (linfo.type == H5L_TYPE_EXTERNAL) {
      const char *file = nullptr, *object = nullptr;
      unsigned flags;
      Check(H5Lunpack_elink_val(value.data(), value.size(), &flags, &file, &object), "cannot read external link", where);
      link->type = "external";
      link->file = file ? file : "";
      link->target = object ? object : "";
    } else {
      link->type = "user-defined";
    }
  });
  job.done = [link](Napi::Env env) -> Napi::Value {
    Napi::Object object = Napi::Object::New(env);
    object.Set("type", link->type);
    if (link->type == "soft" || link->type == "external") object.Set("target", link->target);
    if (link->type == "external") object.Set("file", link->file);
    return object;
  };
  return job;
}

struct VisitEntry {
  std::string path;
  std::string kind;
};

herr_t CollectObject(hid_t, const char* name, const H5O_info2_t* oinfo, void* out) {
  if (name[0] == '.' && name[1] == '\0') return 0;
  const char* kind = oinfo->type == H5O_TYPE_GROUP ? "group"
                     : oinfo->type == H5O_TYPE_DATASET ? "dataset"
                     : oinfo->type == H5O_TYPE_NAMED_DATATYPE ? "datatype" : "unknown";
  static_cast<std::vector<VisitEntry>*>(out)->push_back({name, kind});
  return 0;
}

// Every object below `loc` once (as h5py's visit does), paths relative to it, by name order.
Job Visit(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  auto entries = std::make_shared<std::vector<VisitEntry>>();
  job.Locked([loc, entries]() {
    Check(H5Ovisit3(loc->Id(), H5_INDEX_NAME, H5_ITER_INC, CollectObject, entries.get(), H5O_INFO_BASIC),
          "cannot visit", loc->Path());
  });
  job.done = [entries](Napi::Env env) -> Napi::Value {
    Napi::Array array = Napi::Array::New(env, entries->size());
    for (size_t i = 0; i < entries->size(); i++) {
      Napi::Object entry = Napi::Object::New(env);
      entry.Set("path", (*entries)[i].path);
      entry.Set("kind", (*entries)[i].kind);
      array.Set(i, entry);
    }
    return array;
  };
  return job;
}

}  // namespace

void InitGroup(Napi::Env env, Napi::Object exports) {
  ExportJobs(env, exports, {{"groupCreate", GroupCreate}, {"objectOpen", ObjectOpen},
                            {"linkExists", LinkExists}, {"linkList", LinkList}, {"linkDelete", LinkDelete},
                            {"linkCreate", LinkCreate}, {"linkInfo", LinkInfo}, {"objectCopy", ObjectCopy},
                            {"fileTreeCopy", FileTreeCopy}, {"visit", Visit}});
}

}  // namespace h5dat
