// Starts Web Chat once the server has handed out a Direct Line token. The server decides where
// Web Chat connects: its own embedded Direct Line, or Azure's (the secret stays on the server).
(function () {
  'use strict';

  var styleOptions = {
    accent: '#0b5cad',
    primaryFont: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    backgroundColor: '#f6f8fa',
    botAvatarInitials: 'BR',
    botAvatarBackgroundColor: '#0b5cad',
    bubbleBackground: '#ffffff',
    bubbleBorderColor: '#d8dee4',
    bubbleBorderRadius: 12,
    bubbleBorderWidth: 1,
    bubbleFromUserBackground: '#0b5cad',
    bubbleFromUserTextColor: '#ffffff',
    bubbleFromUserBorderRadius: 12,
    bubbleFromUserBorderWidth: 0,
    bubbleMaxWidth: 560,
    bubbleMinWidth: 0,
    // Choices wrap onto several lines instead of scrolling sideways, which phones hide.
    suggestedActionLayout: 'flow',
    suggestedActionHeight: 'auto',
    suggestedActionBorderRadius: 16,
    suggestedActionBorderColor: '#0b5cad',
    suggestedActionTextColor: '#0b5cad',
    // Screenshots go to the support team through the embedded Direct Line's /upload (README "Screenshots").
    hideUploadButton: false,
    sendBoxButtonColor: '#0b5cad',
    timestampFormat: 'relative'
  };

  /**
   * A support agent's messages are the bot's (role 'bot') with the agent's name: from `agent-<name>`
   * on the embedded Direct Line (src/directline/delivery.ts), in `channelData.speaker` through
   * Azure's. Web Chat groups messages and picks one avatar per group by role, so an agent's words
   * would sit under the bot's avatar: group by sender instead, and give agents their initials in
   * another colour and their name beside the time. The page has no React of its own (the bundle
   * keeps its copy inside), so the agent's avatar is made from the element Web Chat built for the
   * bot's avatar: the same React's element, with another type and props.
   */
  function agentsAsPeople() {
    var AGENT_COLOUR = '#6b3fa0';
    function agentOf(activity) {
      if (!activity || !activity.from || activity.from.role !== 'bot') return undefined;
      var speaker = activity.channelData && activity.channelData.speaker;
      if (typeof speaker === 'string' && speaker) return speaker;
      return /^agent-/.test(activity.from.id || '') ? activity.from.name || '' : undefined;
    }
    function senderOf(activity) {
      var agent = agentOf(activity);
      return agent === undefined ? activity.from.role : 'agent:' + agent;
    }
    function initialsOf(name) {
      var words = String(name || '').trim().split(/\s+/).filter(Boolean);
      var letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
      return letters.map(function (word) { return Array.from(word)[0].toUpperCase(); }).join('') || '?';
    }
    function bySender(activities) {
      var groups = [];
      activities.forEach(function (activity, index) {
        if (index > 0 && senderOf(activities[index - 1]) === senderOf(activity)) groups[groups.length - 1].push(activity);
        else groups.push([activity]);
      });
      return groups;
    }
    return {
      groupActivitiesMiddleware: function () {
        return function (next) {
          return function (args) {
            var groups = next(args);
            var sender = bySender(args.activities);
            var senderOf = new Map();
            sender.forEach(function (group, index) {
              group.forEach(function (activity) { senderOf.set(activity, index); });
            });
            // Web Chat nests status groups (which share one timestamp) inside sender groups, so none may straddle two senders.
            var status = [];
            groups.status.forEach(function (group) {
              group.forEach(function (activity, index) {
                if (index === 0 || senderOf.get(group[index - 1]) !== senderOf.get(activity)) status.push([activity]);
                else status[status.length - 1].push(activity);
              });
            });
            return Object.assign({}, groups, { sender: sender, status: status });
          };
        };
      },
      avatarMiddleware: function () {
        return function (next) {
          return function (args) {
            var botAvatar = next(args);
            var name = agentOf(args.activity);
            if (!botAvatar || name === undefined) return botAvatar;
            var size = args.styleOptions.avatarSize;
            return function () {
              return Object.assign({}, botAvatar(), {
                type: 'div',
                key: null,
                props: {
                  className: 'webchat__agent-avatar',
                  'aria-hidden': true,
                  title: name,
                  style: {
                    width: size, height: size, borderRadius: args.styleOptions.avatarBorderRadius, background: AGENT_COLOUR, color: '#ffffff',
                    display: 'flex', alignItems: 'center', justifyContent: 'center', fontFamily: styleOptions.primaryFont, fontSize: 14, fontWeight: 600
                  },
                  children: initialsOf(name)
                }
              });
            };
          };
        };
      },
      activityStatusMiddleware: function () {
        return function (next) {
          return function (args) {
            var status = next(args);
            var name = agentOf(args.activity);
            if (!status || name === undefined || args.hideTimestamp) return status;
            return Object.assign({}, status, {
              type: 'span',
              key: null,
              props: { className: 'webchat__agent-name', style: { display: 'flex', alignItems: 'baseline', gap: 4, fontFamily: styleOptions.primaryFont, fontSize: 12, fontWeight: 600, color: '#57606a' }, children: [name + ' \u00b7', status] }
            });
          };
        };
      }
    };
  }

  function showProblem(text) {
    var status = document.getElementById('chat-status');
    status.textContent = text;
    status.hidden = false;
  }

  // A customer who closes the page and comes back (say, to read an agent's answer to the message
  // they left) gets the same conversation: its token is kept in this browser, renewed through the
  // Direct Line's /tokens/refresh (which also says the conversation is still kept), and Web Chat
  // reconnects to it, the server replaying its history. Once the token has expired
  // (DIRECT_LINE_TOKEN_TTL_SECONDS), the resume key the server handed out with it trades, once,
  // for a fresh token of the same conversation and a new key (WEB_CHAT_RESUME_DAYS). Only when
  // both are refused does a new conversation start. Both are bearers for this one conversation.
  var KEPT = 'restore-help.conversation';

  function endpoint(domain) {
    return new URL(domain, window.location.href).href.replace(/\/$/, '');
  }

  function forgetConversation() {
    try {
      window.localStorage.removeItem(KEPT);
    } catch (ignored) {
      // Storage refused (private mode): there is nothing kept to forget.
    }
  }

  function resumeOrStart() {
    var kept = null;
    try {
      kept = JSON.parse(window.localStorage.getItem(KEPT) || 'null');
    } catch (ignored) {
      kept = null;
    }
    var usable = kept && typeof kept.token === 'string' && typeof kept.conversationId === 'string' && typeof kept.domain === 'string' && typeof kept.userId === 'string';
    if (!usable) return newSession();
    var resumeKey = typeof kept.resumeKey === 'string' ? kept.resumeKey : undefined;
    function sameConversation(renewed, key) {
      if (renewed.conversationId !== kept.conversationId) throw new Error('the renewed token is for another conversation');
      return { token: renewed.token, conversationId: kept.conversationId, userId: kept.userId, domain: kept.domain, resumeKey: key, resumed: true };
    }
    return fetch(endpoint(kept.domain) + '/tokens/refresh', { method: 'POST', headers: { Authorization: 'Bearer ' + kept.token } })
      .then(function (response) {
        if (!response.ok) throw new Error('the kept token is refused (' + response.status + ')');
        return response.json();
      })
      .then(function (renewed) {
        return sameConversation(renewed, resumeKey);
      })
      .catch(function () {
        if (!resumeKey) throw new Error('no resume key kept');
        return postJson('api/directline/resume', { resumeKey: resumeKey }).then(function (renewed) {
          return sameConversation(renewed, renewed.resumeKey);
        });
      })
      .catch(function () {
        forgetConversation();
        return newSession();
      });
  }

  function postJson(url, body) {
    return fetch(url, { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(function (response) {
      if (!response.ok) throw new Error(url + ' answered ' + response.status);
      return response.json();
    });
  }

  function newSession() {
    return postJson('api/directline/token', {});
  }

  // Web Chat renews its token every 15 minutes and the old one stops working, so the newest is kept.
  var shown = null;
  function saveConversation() {
    if (!shown) return;
    var session = shown.session;
    try {
      window.localStorage.setItem(KEPT, JSON.stringify({ conversationId: session.conversationId, token: shown.directLine.token || session.token, userId: session.userId, domain: session.domain, resumeKey: session.resumeKey }));
    } catch (ignored) {
      // Storage refused (private mode): the chat works, it just cannot be resumed.
    }
  }

  // botframework-directlinejs's ConnectionStatus.ExpiredToken: a refresh, a reconnect or a message
  // was refused with 403, as when a laptop slept past the token's life with the page open. The
  // page then does what a reload would: refresh, resume key, or a new conversation.
  var EXPIRED_TOKEN = 3;

  function connect() {
    return resumeOrStart().then(function (session) {
      var directLine = window.WebChat.createDirectLine({
        token: session.token,
        domain: endpoint(session.domain),
        conversationId: session.resumed ? session.conversationId : undefined
      });
      shown = { directLine: directLine, session: session };
      saveConversation();
      // Once per connection: a second try would spend the resume key the first one is using.
      var replaced = false;
      directLine.connectionStatus$.subscribe(function (status) {
        if (status !== EXPIRED_TOKEN || replaced) return;
        replaced = true;
        directLine.end();
        connect().catch(unavailable);
      });
      // A fresh element each time: Web Chat keeps what it showed per element, and the conversation's
      // history comes back whole from the server.
      var previous = document.getElementById('webchat');
      var host = previous.cloneNode(false);
      previous.replaceWith(host);
      var people = agentsAsPeople();
      window.WebChat.renderWebChat(
        {
          directLine: directLine,
          userID: session.userId,
          username: 'You',
          locale: 'en-US',
          styleOptions: styleOptions,
          avatarMiddleware: people.avatarMiddleware,
          groupActivitiesMiddleware: people.groupActivitiesMiddleware,
          activityStatusMiddleware: people.activityStatusMiddleware
        },
        host
      );
    });
  }

  function unavailable() {
    showProblem('The chat is not available right now. Please try again in a few minutes.');
  }

  function start() {
    if (!window.WebChat) {
      showProblem('The chat could not load. Please reload the page.');
      return;
    }
    window.setInterval(saveConversation, 30000);
    window.addEventListener('pagehide', saveConversation);
    connect().catch(unavailable);
  }

  start();
})();
