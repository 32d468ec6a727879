# apparmor.mk: on Ubuntu 23.10 and later, the AppArmor profile that lets
# ./step0 make a user namespace (step0 says when it is missing).
#
#   sudo make apparmor          /etc/apparmor.d/under-the-hood-step0, for
#                               this checkout's step0, written and loaded
#   sudo make apparmor-remove   unload it and delete the file
#   make apparmor-profile       write it only, to APPARMOR_PROFILE_FILE
#                               (tests render it elsewhere)
#
# The profile is made from tools/apparmor/under-the-hood-step0, whose
# comments say what it allows and why, by tools/apparmor.sh, which also
# refuses in one line where it is not needed. It names step0 by its
# absolute path: after moving the checkout, run sudo make apparmor again.
# Neither target builds step0: the profile waits for the path, and a build
# under sudo would leave root's files in the checkout.

APPARMOR_PROFILE_FILE ?= /etc/apparmor.d/under-the-hood-step0
# $(BIN) may be relative; AppArmor matches the absolute path.
APPARMOR_STEP0 = $(abspath $(STEP0))

.PHONY: apparmor apparmor-remove apparmor-profile
## running sudo: let ./step0 make a user namespace on Ubuntu 23.10 and later (an AppArmor profile)
apparmor:
	@bash tools/apparmor.sh install '$(APPARMOR_STEP0)' '$(APPARMOR_PROFILE_FILE)'

## running sudo: unload and delete the AppArmor profile that make apparmor installed
apparmor-remove:
	@bash tools/apparmor.sh remove '$(APPARMOR_PROFILE_FILE)'

## running: write make apparmor's profile to APPARMOR_PROFILE_FILE, without loading it
apparmor-profile:
	@bash tools/apparmor.sh render '$(APPARMOR_STEP0)' '$(APPARMOR_PROFILE_FILE)'
