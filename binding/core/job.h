#pragma once
// Every native operation is written once as a Job and exported twice: `name` returns a Promise
// and runs the HDF5 part on the libuv pool; `nameSync` runs it on the JS thread. Either way the
// HDF5 part holds the process-wide HDF5 lock.
#include <napi.h>

#include <hdf5.h>

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace h5dat {

struct Job {
  struct Step {
    bool locked;
    std::function<void()> fn;
  };
  // The work, in order, possibly off the JS thread: steps must not touch JS values. Locked
  // steps hold the HDF5 lock; unlocked ones (compression) let other jobs' HDF5 calls proceed.
  std::vector<Step> steps;
  void Locked(std::function<void()> fn) { steps.push_back({true, std::move(fn)}); }
  void Unlocked(std::function<void()> fn) { steps.push_back({false, std::move(fn)}); }
  // Builds the JS result on the JS thread after every step succeeded. Optional (undefined).
  std::function<Napi::Value(Napi::Env)> done;
  // JS values whose memory the steps use (input buffers, handles): kept alive until done.
  std::vector<Napi::Value> pins;
};

// Reads the JS arguments (on the JS thread) and returns the job to run.
using JobMaker = Job (*)(const Napi::CallbackInfo&);

struct JobExport {
  const char* name;
  JobMaker make;
};

// Exports each job as `name` (Promise) and `nameSync`.
void ExportJobs(Napi::Env env, Napi::Object exports, std::initializer_list<JobExport> jobs);

// `done` functions for the common results, filled in by a job's steps.
std::function<Napi::Value(Napi::Env)> NamesResult(std::shared_ptr<std::vector<std::string>> names);
std::function<Napi::Value(Napi::Env)> FlagResult(std::shared_ptr<bool> flag);

// An HDF5 iteration callback (links or attributes) that appends each name to a vector<string>.
template <typename Info>
herr_t CollectName(hid_t, const char* name, const Info*, void* names) {
  static_cast<std::vector<std::string>*>(names)->push_back(name);
  return 0;
}

}  // namespace h5dat
