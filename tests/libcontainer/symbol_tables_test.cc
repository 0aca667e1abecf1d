#include "libcontainer/symbol_tables.h"

#include <linux/capability.h>
#include <linux/securebits.h>
#include <sched.h>
#include <sys/personality.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace libcontainer {
namespace {

// Every row is found by its config.json name, and its value prints as its own
// name, so no two rows share a name or a value.
template <typename T, size_t N>
void ExpectRoundTrips(const Symbol<T> (&table)[N]) {
  for (const Symbol<T>& symbol : table) {
    SCOPED_TRACE(std::string(symbol.name));
    std::optional<T> value = ValueFromSpecName(table, symbol.SpecName());
    ASSERT_TRUE(value.has_value());
    EXPECT_TRUE(*value == symbol.value);
    EXPECT_EQ(NameOfValue(table, *value), symbol.name);
  }
}

TEST(SymbolTablesTest, EveryTableRoundTrips) {
  ExpectRoundTrips(kCapabilities);
  ExpectRoundTrips(kRlimits);
  ExpectRoundTrips(kNamespaces);
  ExpectRoundTrips(kSecurebits);
  ExpectRoundTrips(kPersonalityDomains);
  ExpectRoundTrips(kPersonalityFlags);
  ExpectRoundTrips(kIoPriorityClasses);
  ExpectRoundTrips(kSchedulerPolicies);
  ExpectRoundTrips(kSchedulerFlags);
  ExpectRoundTrips(kHookStages);
}

TEST(SymbolTablesTest, SpecNamesWhereTheHeadersDiffer) {
  // Chromium's run_oci names (its ARC++ bundles' skipSecurebits).
  EXPECT_EQ(ValueFromSpecName(kSecurebits, "KEEP_CAPS"),
            uint64_t{SECBIT_KEEP_CAPS});
  EXPECT_EQ(NameOfValue(kSecurebits, SECBIT_KEEP_CAPS), "SECBIT_KEEP_CAPS");
  EXPECT_EQ(ValueFromSpecName(kSecurebits, "SECBIT_KEEP_CAPS"), std::nullopt);
  EXPECT_EQ(ValueFromSpecName(kPersonalityDomains, "LINUX32"),
            static_cast<unsigned long>(PER_LINUX32));
  EXPECT_EQ(ValueFromSpecName(kPersonalityDomains, "PER_LINUX32"),
            std::nullopt);
}

// The policy numbers are written out (no header has SCHED_ISO); these are the
// ones <sched.h> can vouch for.
TEST(SymbolTablesTest, SchedulerPoliciesMatchTheLibc) {
  EXPECT_EQ(ValueFromSpecName(kSchedulerPolicies, "SCHED_OTHER"), SCHED_OTHER);
  EXPECT_EQ(ValueFromSpecName(kSchedulerPolicies, "SCHED_FIFO"), SCHED_FIFO);
  EXPECT_EQ(ValueFromSpecName(kSchedulerPolicies, "SCHED_RR"), SCHED_RR);
  EXPECT_EQ(ValueFromSpecName(kSchedulerPolicies, "SCHED_BATCH"), SCHED_BATCH);
  EXPECT_EQ(ValueFromSpecName(kSchedulerPolicies, "SCHED_IDLE"), SCHED_IDLE);
}

TEST(SymbolTablesTest, UnknownNamesAndValues) {
  EXPECT_EQ(ValueFromSpecName(kRlimits, "rlimit_nofile"), std::nullopt);
  EXPECT_EQ(ValueFromSpecName(kCapabilities, ""), std::nullopt);
  EXPECT_EQ(NameOfValue(kCapabilities, CAP_LAST_CAP + 1), std::nullopt);
  EXPECT_EQ(NameOfValue(kIoPriorityClasses, 7), std::nullopt);
}

}  // namespace
}  // namespace libcontainer
