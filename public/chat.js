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

  function showProblem(text) {
    var status = document.getElementById('chat-status');
    status.textContent = text;
    status.hidden = false;
  }

  function start() {
    if (!window.WebChat) {
      showProblem('The chat could not load. Please reload the page.');
      return;
    }
    fetch('api/directline/token', { method: 'POST', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('token request answered ' + response.status);
        return response.json();
      })
      .then(function (session) {
        var directLine = window.WebChat.createDirectLine({
          token: session.token,
          domain: new URL(session.domain, window.location.href).href.replace(/\/$/, '')
        });
        window.WebChat.renderWebChat(
          { directLine: directLine, userID: session.userId, username: 'You', locale: 'en-US', styleOptions: styleOptions },
          document.getElementById('webchat')
        );
      })
      .catch(function () {
        showProblem('The chat is not available right now. Please try again in a few minutes.');
      });
  }

  start();
})();
