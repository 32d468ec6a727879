# ~/.bashrc: the talk's prompt for interactive shells that are not login shells.
PS1='[\u@\h \W]# '
alias ls='ls --color=auto'
