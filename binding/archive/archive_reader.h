#pragma once
// A streaming reader over any archive libarchive knows (zip, tar, tar.gz, tar.xz, gz, ...):
// entries one by one, data in blocks, never the whole archive in memory. No HDF5 involved, so
// its jobs run without the HDF5 lock.
#include <napi.h>

#include <mutex>
#include <string>

#include "archive/shard_filter.h"

struct archive;

namespace h5dat {

class ArchiveReader : public Napi::ObjectWrap<ArchiveReader> {
 public:
  static void Init(Napi::Env env, Napi::Object exports);
  static Napi::Object New(Napi::Env env, struct archive* reader, std::string path, ShardFilter shard);
  static ArchiveReader* From(const Napi::Value& value);

  explicit ArchiveReader(const Napi::CallbackInfo& info);
  ~ArchiveReader() override;

  // The open libarchive handle; fails when closed. Hold Guard() while using it.
  struct archive* Get() const;
  std::mutex& Guard() { return mutex_; }
  const std::string& Path() const { return path_; }
  void Close();
  // After a fatal read error libarchive answers every later call with no message of its own:
  // the cause is kept to name in those failures. Guarded like the handle.
  std::string& FatalCause() { return fatal_cause_; }
  // The entries archiveNext passes over (convert --shard); set once, at open.
  const ShardFilter& Shard() const { return shard_; }

 private:
  struct archive* archive_ = nullptr;
  std::string path_;
  std::string fatal_cause_;
  ShardFilter shard_;
  std::mutex mutex_;
};

}  // namespace h5dat
