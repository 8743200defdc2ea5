#include "core/kernel/system_limits.h"
#include "session_fixture.h"

using namespace shmviz;
using shmviz::testing::SessionTest;

TEST_F(SessionTest, RequireHugePagesEndsTheScriptWithTheReasonWhenNoneAreFree) {
    const core::HugePageInfo huge = core::readHugePages();
    auto r = ok("require hugepages 1");
    EXPECT_EQ(r.endsScript, huge.free < 1);
    if (r.endsScript) {
        EXPECT_NE(r.explain.find("sysctl vm.nr_hugepages"), std::string::npos) << r.explain;
    }
    EXPECT_EQ(r.data["hugepages"]["free"], huge.free);
}

TEST_F(SessionTest, RequireSomethingUnknownIsAnError) {
    fails("require unicorns", EINVAL);
}
