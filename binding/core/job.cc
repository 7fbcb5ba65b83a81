// Running jobs: on the libuv pool for `name`, on the JS thread for `nameSync` (see job.h).
#include "core/job.h"

#include <string>

#include "core/h5_failure.h"
#include "core/hdf5_lock.h"

namespace h5dat {
namespace {

// Runs the steps; converts any failure to an H5Failure so it can cross threads.
bool RunSteps(Job& job, H5Failure& failure) {
  try {
    for (auto& step : job.steps) {
      if (step.locked) {
        H5Lock lock;
        step.fn();
      } else {
        step.fn();
      }
    }
    return true;
  } catch (const H5Failure& f) {
    failure = f;
  } catch (const std::exception& e) {
    failure.message = e.what();
  }
  return false;
}

class JobWorker : public Napi::AsyncWorker {
 public:
  JobWorker(Napi::Env env, Job job)
      : Napi::AsyncWorker(env, "h5dat"), job_(std::move(job)), deferred_(Napi::Promise::Deferred::New(env)) {
    for (auto& value : job_.pins) pins_.push_back(Napi::Persistent(value));
    job_.pins.clear();
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override { ok_ = RunSteps(job_, failure_); }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (!ok_) {
      deferred_.Reject(MakeJsError(env, failure_));
      return;
    }
    try {
      deferred_.Resolve(job_.done ? job_.done(env) : env.Undefined());
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }

 private:
  Job job_;
  Napi::Promise::Deferred deferred_;
  std::vector<Napi::Reference<Napi::Value>> pins_;
  H5Failure failure_;
  bool ok_ = false;
};

Napi::Value CallAsync(const Napi::CallbackInfo& info) {
  auto make = reinterpret_cast<JobMaker>(info.Data());
  Napi::Env env = info.Env();
  Job job;
  try {
    job = make(info);
  } catch (const Napi::Error& e) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(e.Value());
    return deferred.Promise();
  }
  auto* worker = new JobWorker(env, std::move(job));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value CallSync(const Napi::CallbackInfo& info) {
  auto make = reinterpret_cast<JobMaker>(info.Data());
  Napi::Env env = info.Env();
  Job job = make(info);
  H5Failure failure;
  if (!RunSteps(job, failure)) throw Napi::Error(env, MakeJsError(env, failure));
  return job.done ? job.done(env) : env.Undefined();
}

}  // namespace

std::function<Napi::Value(Napi::Env)> NamesResult(std::shared_ptr<std::vector<std::string>> names) {
  return [names](Napi::Env env) -> Napi::Value {
    Napi::Array array = Napi::Array::New(env, names->size());
    for (size_t i = 0; i < names->size(); i++) array.Set(i, (*names)[i]);
    return array;
  };
}

std::function<Napi::Value(Napi::Env)> FlagResult(std::shared_ptr<bool> flag) {
  return [flag](Napi::Env env) -> Napi::Value { return Napi::Boolean::New(env, *flag); };
}

void ExportJobs(Napi::Env env, Napi::Object exports, std::initializer_list<JobExport> jobs) {
  for (const JobExport& job : jobs) {
    void* data = reinterpret_cast<void*>(job.make);
    exports.Set(job.name, Napi::Function::New(env, CallAsync, job.name, data));
    std::string syncName = std::string(job.name) + "Sync";
    exports.Set(syncName, Napi::Function::New(env, CallSync, syncName, data));
  }
}

}  // namespace h5dat
