#!/usr/bin/env node
import { createApp } from '../lib/app/create-app';

createApp();
