#pragma once
// SIGINT, SIGTERM and SIGHUP end the session in an orderly way: the handler only records the
// request; loops poll terminationFd() or check terminationRequested() and then clean up.
namespace shmviz::app {

void installTerminationHandlers();
bool terminationRequested();
int terminationFd(); // becomes readable once a termination signal arrived

} // namespace shmviz::app
