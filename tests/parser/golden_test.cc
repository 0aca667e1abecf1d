#include <gtest/gtest.h>
#include "absl/strings/str_cat.h"
TEST(Placeholder, Works) { EXPECT_EQ(absl::StrCat("a", 1), "a1"); }
int main(int argc, char** argv) { testing::InitGoogleTest(&argc, argv); return RUN_ALL_TESTS(); }
