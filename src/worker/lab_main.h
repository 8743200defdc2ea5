#pragma once
// Entry of `shmviz-worker --lab ROLE --fd 3 --parent PID key=value...`: a lab worker that runs one
// experiment in its own process and reports over fd 3 (see core/labs/lab_group.h).
namespace shmviz::worker {

// argv[1] is "--lab". Returns the process's exit status.
int labMain(int argc, char** argv);

class LabArgs;
class LabLink;
int runRaceWorker(const LabArgs& args, LabLink& link);
int runTornWriter(const LabArgs& args, LabLink& link);
int runTornReader(const LabArgs& args, LabLink& link);
int runIpcSender(const LabArgs& args, LabLink& link);
int runIpcReceiver(const LabArgs& args, LabLink& link);
int runIpcMemcpy(const LabArgs& args, LabLink& link);

} // namespace shmviz::worker
