#pragma once
#include "core/kernel/file_text.h"

#include <gtest/gtest.h>
#include <string>

inline std::string fixture(const std::string& name) {
    auto text = shmviz::core::readFileText(std::string(SHMVIZ_FIXTURES) + "/" + name);
    EXPECT_TRUE(text.ok()) << name;
    return text.ok() ? *text : std::string();
}
