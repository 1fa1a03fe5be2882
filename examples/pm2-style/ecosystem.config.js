// A PM2 ecosystem file, unchanged: `tend apply examples/pm2-style/ecosystem.config.js`
// or the PM2 way, `tend start examples/pm2-style/ecosystem.config.js --env production`.
module.exports = {
  apps: [
    {
      name: 'web',
      script: './server.js',
      instances: 1,
      autorestart: true,
      watch: false,
      max_memory_restart: '1G',
      env: {
        NODE_ENV: 'development',
        PORT: 3200,
      },
      env_production: {
        NODE_ENV: 'production',
      },
    },
  ],
};
